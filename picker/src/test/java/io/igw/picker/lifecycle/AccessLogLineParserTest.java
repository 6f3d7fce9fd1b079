package io.igw.picker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.lifecycle.AccessLogLineParser.Rejection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogLineParserTest {

  @Test
  void readsTheDocumentedFormat() {
    Completion c =
        AccessLogLineParser.parse(
            "<190>Nov 28 06:49:22 igw: {\"request_id\":\"abc123\","
                + "\"endpoint\":\"127.0.0.11:8000, 127.0.0.12:8000 : 127.0.0.13:8000\",\"status\":\"200\","
                + "\"request_time\":\"1.250\",\"upstream_header_time\":\"-, 0.100 : 0.042\",\"pool\":\"default/p\"}");
    assertThat(c.requestId()).isEqualTo("abc123");
    assertThat(c.endpoints())
        .containsExactly("127.0.0.11:8000", "127.0.0.12:8000", "127.0.0.13:8000");
    assertThat(c.servedBy()).isEqualTo("127.0.0.13:8000");
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.requestTimeSeconds()).isEqualTo(1.25);
    assertThat(c.headerTimeSeconds()).isEqualTo(0.042);
  }

  @Test
  void readsTheUsageTheDataPlaneRead() {
    Completion c =
        AccessLogLineParser.parse(
            "{\"request_id\":\"r1\",\"status\":\"200\",\"usage_prompt\":\"120\","
                + "\"usage_cached\":\"64\",\"usage_completion\":\"33\",\"usage_estimated\":\"\"}");
    assertThat(c.usage()).isEqualTo(new TokenUsage(120, 64, 33, false));
    assertThat(c.usage().totalTokens()).isEqualTo(153);
    Completion cut =
        AccessLogLineParser.parse(
            "{\"request_id\":\"r2\",\"usage_prompt\":\"10\",\"usage_completion\":\"7\","
                + "\"usage_estimated\":\"1\"}");
    assertThat(cut.usage()).isEqualTo(new TokenUsage(10, 0, 7, true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"request_id\":\"r\"}",
        "{\"request_id\":\"r\",\"usage_prompt\":\"-\",\"usage_completion\":\"\"}",
        "{\"request_id\":\"r\",\"usage_prompt\":\"-5\"}",
        "{\"request_id\":\"r\",\"usage_prompt\":\"1e9\"}",
        "{\"request_id\":\"r\",\"usage_completion\":\"9999999999999\"}",
        "{\"request_id\":\"r\",\"usage_prompt\":\" 12\"}"
      })
  void usageThatIsNotACountIsAbsent(String line) {
    Completion c = AccessLogLineParser.parse(line);
    assertThat(c).isNotNull();
    assertThat(c.usage()).isNull();
  }

  @Test
  void cachedTokensNeverExceedThePrompt() {
    Completion c =
        AccessLogLineParser.parse(
            "{\"request_id\":\"r\",\"usage_prompt\":\"5\",\"usage_cached\":\"50\"}");
    assertThat(c.usage()).isEqualTo(new TokenUsage(5, 5, 0, false));
  }

  @Test
  void toleratesHostnamesMissingFieldsAndBareLines() {
    Completion c =
        AccessLogLineParser.parse(
            "<14>Jan  2 03:04:05 gw-host igw: {\"request_id\":\"r1\",\"endpoint\":\"\",\"status\":\"502\"}");
    assertThat(c.requestId()).isEqualTo("r1");
    assertThat(c.endpoints()).isEmpty();
    assertThat(c.requestTimeSeconds()).isNegative();
    assertThat(c.headerTimeSeconds()).isNegative();
    assertThat(AccessLogLineParser.parse("{\"request_id\":\"r2\",\"status\":\"abc\"}").status())
        .isZero();
    assertThat(AccessLogLineParser.parse("{\"request_id\":\"r3\",\"status\":404}").status())
        .isEqualTo(404);
  }

  @Test
  void escapedValuesStayInsideTheirField() {
    // what NGINX's escape=json writes for a value holding a quote, a backslash and a would-be field
    Completion c =
        AccessLogLineParser.parse(
            "<190>Nov 28 06:49:22 igw: {\"request_id\":\"r4\\\",\\\"request_id\\\":"
                + "\\\"victim\\\\\",\"status\":\"200\"}");
    assertThat(c.requestId()).isEqualTo("r4\",\"request_id\":\"victim\\");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|malformed",
        "<190>no tag here|malformed",
        "garbage|malformed",
        "request_id=r1 status=200|malformed",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"r1\"|malformed",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"r1\"} {}|malformed",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"r1\"} trailing|malformed",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":{\"a\":1}}|malformed",
        "<190>Nov 28 06:49:22 igw: [\"request_id\"]|malformed",
        "<190>Nov 28 06:49:22 igw: {\"status\":\"200\"}|no_request_id",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"-\",\"status\":\"200\"}|no_request_id",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"\"}|no_request_id",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"a\",\"request_id\":\"victim\"}|duplicate_key",
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"a\",\"status\":\"200\",\"status\":\"500\"}|duplicate_key"
      })
  void rejectedLinesSayWhy(String line, String reason) {
    AccessLogLineParser.Parsed parsed = AccessLogLineParser.read(line);
    assertThat(parsed.completion()).isNull();
    assertThat(parsed.rejection().label).isEqualTo(reason);
    assertThat(AccessLogLineParser.parse(line)).isNull();
  }

  @Test
  void overlongLinesAreMalformed() {
    assertThat(
            AccessLogLineParser.read("{\"request_id\":\"" + "x".repeat(10_000) + "\"}").rejection())
        .isEqualTo(Rejection.MALFORMED);
    assertThat(AccessLogLineParser.read(null).rejection()).isEqualTo(Rejection.MALFORMED);
    assertThat(AccessLogLineParser.addresses("a:1 : b:2, c:3"))
        .isEqualTo(List.of("a:1", "b:2", "c:3"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\n", "\u2028", "é"})
  void controlAndUnicodeCharactersInValuesAreData(String odd) {
    String escaped = odd.equals("\n") ? "\\n" : odd.equals("\u0000") ? "\\u0000" : odd;
    Completion c =
        AccessLogLineParser.parse("{\"request_id\":\"r" + escaped + "\",\"status\":\"200\"}");
    assertThat(c.requestId()).isEqualTo("r" + odd);
  }
}
