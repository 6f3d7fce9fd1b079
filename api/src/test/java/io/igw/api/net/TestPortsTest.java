package io.igw.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.api.net.TestPorts.PortRange;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestPortsTest {
  @TempDir Path locks;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "32768 60999|20000|32767", // Linux's default: the preferred range lies below it
        "40000 60999|20000|32767",
        "1024 19999|20000|32767",
        "20000 60999|1024|19999", // overlapping: the larger side
        "30000 65535|1024|29999",
        "1024 40000|40001|65535"
      })
  void portsComeFromOutsideTheEphemeralRange(String ephemeral, int first, int last) {
    PortRange range = TestPorts.rangeOutside(TestPorts.parseRange(ephemeral));
    assertThat(range).isEqualTo(new PortRange(first, last));
    assertThat(range.overlaps(TestPorts.parseRange(ephemeral))).isFalse();
  }

  @Test
  void anEphemeralRangeThatLeavesTooFewPortsIsRefused() {
    assertThatThrownBy(() -> TestPorts.rangeOutside(new PortRange(1500, 65000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1500-65000");
  }

  @Test
  void theKernelsRangeIsReadAsTwoNumbers() {
    assertThat(TestPorts.parseRange("32768\t60999\n")).isEqualTo(new PortRange(32768, 60999));
    assertThatThrownBy(() -> TestPorts.parseRange("32768"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTakenPortIsOutsideTheEphemeralRangeAndBindsOnLoopback() throws Exception {
    int port = TestPorts.take();
    assertThat(TestPorts.ephemeralRange().overlaps(new PortRange(port, port))).isFalse();
    try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(server.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void twoAllocatorsInOneJvmNeverReturnTheSamePort() {
    PortRange range = TestPorts.rangeOutside(TestPorts.ephemeralRange());
    TestPorts first = new TestPorts(range, locks);
    TestPorts second = new TestPorts(range, locks);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      assertThat(seen.add((i % 2 == 0 ? first : second).allocate())).isTrue();
    }
    int only = new TestPorts(range, locks.resolve("other")).allocate();
    PortRange one = new PortRange(only, only);
    assertThat(new TestPorts(one, locks).allocate()).isEqualTo(only);
    assertThatThrownBy(() -> new TestPorts(one, locks).allocate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no free test port in " + only + "-" + only);
  }

  @Test
  void aPortLockedByAnotherProcessIsSkipped() throws Exception {
    int port = adjacentBindablePorts();
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                locks.resolve(port + ".lock").toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> new TestPorts(new PortRange(port, port), locks).allocate())
          .isInstanceOf(IllegalStateException.class);
      assertThat(new TestPorts(new PortRange(port, port + 1), locks).allocate())
          .isEqualTo(port + 1);
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(new TestPorts(new PortRange(port, port), locks).allocate())
        .as("released with its process")
        .isEqualTo(port);
  }

  /** A port p of the test range such that p and p + 1 are free now. */
  private static int adjacentBindablePorts() {
    PortRange range = TestPorts.rangeOutside(TestPorts.ephemeralRange());
    for (int p = range.first() + 1000; p < range.last(); p++) {
      if (TestPorts.bindable(p) && TestPorts.bindable(p + 1)) {
        return p;
      }
    }
    throw new IllegalStateException("no two free adjacent ports in " + range);
  }

  /**
   * Another process: locks the file named by its argument, says so, and holds it until its stdin
   * closes.
   */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (FileChannel channel =
          FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        if (channel.tryLock() == null) {
          System.out.println("busy");
          return;
        }
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
          // hold
        }
      }
    }
  }
}
