package io.igw.picker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogLineParserTest {

  @Test
  void readsTheDocumentedFormat() {
    Completion c = AccessLogLineParser.parse("<190>Nov 28 06:49:22 igw: request_id=abc123 "
        + "endpoint=\"127.0.0.11:8000, 127.0.0.12:8000 : 127.0.0.13:8000\" status=200 request_time=1.250 "
        + "upstream_header_time=\"-, 0.100 : 0.042\" pool=default/p");
    assertThat(c.requestId()).isEqualTo("abc123");
    assertThat(c.endpoints()).containsExactly("127.0.0.11:8000", "127.0.0.12:8000", "127.0.0.13:8000");
    assertThat(c.servedBy()).isEqualTo("127.0.0.13:8000");
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.requestTimeSeconds()).isEqualTo(1.25);
    assertThat(c.headerTimeSeconds()).isEqualTo(0.042);
  }

  @Test
  void toleratesHostnamesMissingFieldsAndBareLines() {
    Completion c = AccessLogLineParser.parse("<14>Jan  2 03:04:05 gw-host igw: request_id=r1 endpoint=- status=502");
    assertThat(c.requestId()).isEqualTo("r1");
    assertThat(c.endpoints()).isEmpty();
    assertThat(c.requestTimeSeconds()).isNegative();
    assertThat(c.headerTimeSeconds()).isNegative();
    assertThat(AccessLogLineParser.parse("request_id=r2 status=abc").status()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "<190>no tag here", "<190>Nov 28 06:49:22 igw: status=200", "garbage",
      "<190>Nov 28 06:49:22 igw: request_id=- status=200"})
  void malformedLinesAreNull(String line) {
    assertThat(AccessLogLineParser.parse(line)).isNull();
  }

  @Test
  void overlongLinesAreNull() {
    assertThat(AccessLogLineParser.parse("request_id=" + "x".repeat(10_000))).isNull();
    assertThat(AccessLogLineParser.addresses("a:1 : b:2, c:3")).isEqualTo(List.of("a:1", "b:2", "c:3"));
  }
}
