package io.igw.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTextTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "abc-123|abc-123",
        "''|\"\"",
        "two words|\"two words\"",
        "a=b|\"a=b\"",
        "say \"hi\"|\"say \\\"hi\\\"\"",
        "back\\slash|\"back\\\\slash\""
      })
  void plainValuesStayBareOthersAreQuoted(String value, String logged) {
    assertThat(LogText.value(value)).isEqualTo(logged);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0a|\\n",
        "0d|\\r",
        "09|\\t",
        "00|\\u0000",
        "1b|\\u001b",
        "1f|\\u001f",
        "7f|\\u007f",
        "2028|\\u2028",
        "2029|\\u2029"
      })
  void everyControlCharacterIsEscaped(String hex, String escaped) {
    String c = Character.toString(Integer.parseInt(hex, 16));
    String hostile = "x" + c + "2024-01-01T00:00:00Z WARNING forged request_id=victim";
    assertThat(LogText.value(hostile))
        .isEqualTo("\"x" + escaped + "2024-01-01T00:00:00Z WARNING forged" + " request_id=victim\"")
        .doesNotContain(c);
    assertThat(LogText.controlsEscaped("event key=" + hostile))
        .isEqualTo(
            "event key=x" + escaped + "2024-01-01T00:00:00Z WARNING forged request_id=victim");
  }
}
