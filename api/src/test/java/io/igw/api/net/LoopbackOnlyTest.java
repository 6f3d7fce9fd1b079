package io.igw.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackOnlyTest {
  // refused values only, never reached: documentation ranges (RFC 5737, RFC 3849) stand for every
  // other address
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1,true",
    "127.0.0.21,true",
    "127.255.255.255,true",
    "localhost,true",
    "::1,true",
    "[::1],true",
    "192.0.2.1,false",
    "198.51.100.254,false",
    "203.0.113.1,false",
    "2001:db8::1,false",
    "128.0.0.1,false",
    "127.0.0.256,false",
    "127.0.0,false",
    "127.0.0.1.nip.io,false",
    "example.com,false",
    "127.0.0.01x,false",
    "'',false"
  })
  void onlyLoopbackLiteralsAreLoopback(String host, boolean loopback) {
    assertThat(LoopbackOnly.isLoopback(host)).isEqualTo(loopback);
  }

  @org.junit.jupiter.api.Test
  void theBuildEnforcesItAndARefusalIsRecorded() {
    assertThat(LoopbackOnly.enforced())
        .as("the build sets -D" + LoopbackOnly.PROPERTY + "=true")
        .isTrue();
    assertThat(LoopbackOnly.allows("127.0.0.9", 8000, "scrape")).isTrue();
    assertThat(LoopbackOnly.allows("192.0.2.1", 8000, "scrape")).isFalse();
    assertThat(LoopbackOnly.drainViolations()).containsExactly("scrape to 192.0.2.1:8000");
  }
}
