package io.igw.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackOnlyTest {
  @ParameterizedTest
  @CsvSource({"127.0.0.1,true", "127.0.0.21,true", "127.255.255.255,true", "localhost,true", "::1,true",
      "[::1],true", "10.1.0.1,false", "169.254.169.254,false", "192.168.1.1,false", "172.16.0.1,false",
      "128.0.0.1,false", "127.0.0.256,false", "127.0.0,false", "127.0.0.1.nip.io,false", "example.com,false",
      "127.0.0.01x,false", "'',false"})
  void onlyLoopbackLiteralsAreLoopback(String host, boolean loopback) {
    assertThat(LoopbackOnly.isLoopback(host)).isEqualTo(loopback);
  }

  @org.junit.jupiter.api.Test
  void theBuildEnforcesItAndARefusalIsRecorded() {
    assertThat(LoopbackOnly.enforced()).as("the build sets -D" + LoopbackOnly.PROPERTY + "=true").isTrue();
    assertThat(LoopbackOnly.allows("127.0.0.9", 8000, "scrape")).isTrue();
    assertThat(LoopbackOnly.allows("10.1.0.1", 8000, "scrape")).isFalse();
    assertThat(LoopbackOnly.drainViolations()).containsExactly("scrape to 10.1.0.1:8000");
  }
}
