package io.igw.api.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for tests that must name a port before anything listens on it: NGINX's {@code listen}, a
 * child JVM's {@code --port}, a port where nothing may listen, one port shared by servers on
 * several loopback addresses. A server that can bind port 0 and report the port it got does that
 * instead (Vert.x {@code listen(0)} then {@code actualPort()}).
 *
 * <p>A port from {@link #take()} lies outside the kernel's ephemeral range, so no outgoing
 * connection and no port-0 bind of any process is handed it; it is held under an exclusive lock on
 * {@code <java.io.tmpdir>/igw-test-ports/<port>.lock} for the rest of this JVM's life, so every
 * other test JVM on the machine (a second {@code ./igw test} included) skips it; and it was free
 * for TCP and UDP on every address when taken. Lock files are never deleted: one removed while
 * locked would let two JVMs lock two files of one name.
 */
public final class TestPorts {
  /** Below Linux's default ephemeral range (32768–60999). */
  static final PortRange PREFERRED = new PortRange(20000, 32767);

  static final int MIN_RANGE_SIZE = 1000;
  private static final Path EPHEMERAL_RANGE_FILE =
      Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final PortRange LINUX_DEFAULT_EPHEMERAL = new PortRange(32768, 60999);

  /**
   * The lock files this JVM holds, with their channels, which stay reachable for the JVM's life (an
   * unreachable channel is closed by its cleaner). A held file is never opened again: on Linux,
   * closing any descriptor of a file drops every lock the process has on it.
   */
  private static final Map<Path, FileChannel> HELD = new HashMap<>();

  private static final TestPorts JVM =
      new TestPorts(
          rangeOutside(ephemeralRange()),
          Path.of(System.getProperty("java.io.tmpdir"), "igw-test-ports"));

  private final PortRange range;
  private final Path lockDir;
  private int next;

  TestPorts(PortRange range, Path lockDir) {
    this.range = range;
    this.lockDir = lockDir;
    this.next = range.first() + ThreadLocalRandom.current().nextInt(range.size());
  }

  /**
   * A port no other test (in this JVM or another) holds, free when taken, held until this JVM
   * exits.
   */
  public static int take() {
    return JVM.allocate();
  }

  /**
   * The ports inclusive, scanned from a random start so that JVMs starting together rarely contend.
   */
  record PortRange(int first, int last) {
    PortRange {
      if (first < 1 || last > 65535 || first > last) {
        throw new IllegalArgumentException("bad port range " + first + "-" + last);
      }
    }

    int size() {
      return last - first + 1;
    }

    boolean overlaps(PortRange other) {
      return first <= other.last && other.first <= last;
    }

    @Override
    public String toString() {
      return first + "-" + last;
    }
  }

  int allocate() {
    synchronized (HELD) {
      for (int tried = 0; tried < range.size(); tried++) {
        int port = next;
        next = port == range.last() ? range.first() : port + 1;
        Path file = lockDir.resolve(port + ".lock").toAbsolutePath();
        if (HELD.containsKey(file)) {
          continue;
        }
        FileChannel lock = lock(file);
        if (lock == null) {
          continue;
        }
        if (bindable(port)) {
          HELD.put(file, lock);
          return port;
        }
        close(lock);
      }
    }
    throw new IllegalStateException(
        "no free test port in " + range + " (locks in " + lockDir + ")");
  }

  /** The channel holding {@code file} exclusively, or null when another process holds it. */
  private static FileChannel lock(Path file) {
    FileChannel channel;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the test-port lock " + file, e);
    }
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (IOException e) {
      close(channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    close(channel);
    return null;
  }

  /**
   * Free for TCP and UDP on the wildcard address, so on every address; bound without listening, no
   * traffic.
   */
  static boolean bindable(int port) {
    try (Socket tcp = new Socket();
        DatagramSocket udp = new DatagramSocket(null)) {
      tcp.setReuseAddress(false);
      tcp.bind(new InetSocketAddress(port));
      udp.setReuseAddress(false);
      udp.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing held
    }
  }

  /**
   * {@link #PREFERRED} unless the ephemeral range overlaps it; then the larger side of the
   * ephemeral range.
   */
  static PortRange rangeOutside(PortRange ephemeral) {
    if (!PREFERRED.overlaps(ephemeral)) {
      return PREFERRED;
    }
    int below = ephemeral.first() - 1024;
    int above = 65535 - ephemeral.last();
    if (Math.max(below, above) < MIN_RANGE_SIZE) {
      throw new IllegalStateException(
          "the ephemeral port range "
              + ephemeral
              + " leaves fewer than "
              + MIN_RANGE_SIZE
              + " ports for tests");
    }
    return below >= above
        ? new PortRange(1024, ephemeral.first() - 1)
        : new PortRange(ephemeral.last() + 1, 65535);
  }

  /** The kernel's ephemeral range, or Linux's default where it cannot be read. */
  static PortRange ephemeralRange() {
    try {
      return parseRange(Files.readString(EPHEMERAL_RANGE_FILE));
    } catch (IOException | RuntimeException unreadable) {
      return LINUX_DEFAULT_EPHEMERAL;
    }
  }

  /** {@code ip_local_port_range}'s two numbers. */
  static PortRange parseRange(String text) {
    String[] bounds = text.trim().split("\\s+");
    if (bounds.length != 2) {
      throw new IllegalArgumentException("not a port range: " + text);
    }
    return new PortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
  }
}
