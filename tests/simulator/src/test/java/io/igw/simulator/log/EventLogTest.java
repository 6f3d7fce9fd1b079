package io.igw.simulator.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLogTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "plain|plain", "''|\"\"", "two words|\"two words\"", "a=b|\"a=b\"", "say \"hi\"|\"say \\\"hi\\\"\"",
      "back\\slash|\"back\\\\slash\""})
  void valuesAreOneToken(String value, String logged) {
    assertThat(EventLog.quoteIfNeeded(value)).isEqualTo(logged);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0a|\\n", "0d|\\r", "09|\\t", "00|\\u0000", "1f|\\u001f", "7f|\\u007f", "2028|\\u2028", "2029|\\u2029"})
  void aHostileValueStaysOnItsLine(String hex, String escaped) {
    String c = Character.toString(Integer.parseInt(hex, 16));
    String line = EventLog.line("request failed", "path", "/v1" + c + "simulator ready name=forged");
    assertThat(line).isEqualTo("request failed path=\"/v1" + escaped + "simulator ready name=forged\"")
        .doesNotContain(c);
  }
}
