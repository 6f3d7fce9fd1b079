package io.igw.controller.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLogTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|plain",
        "''|\"\"",
        "two words|\"two words\"",
        "a=b|\"a=b\"",
        "say \"hi\"|\"say \\\"hi\\\"\"",
        "back\\slash|\"back\\\\slash\""
      })
  void valuesAreOneToken(String value, String logged) {
    assertThat(io.igw.api.log.LogText.value(value)).isEqualTo(logged);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0a|\\n",
        "0d|\\r",
        "09|\\t",
        "00|\\u0000",
        "1f|\\u001f",
        "7f|\\u007f",
        "2028|\\u2028",
        "2029|\\u2029"
      })
  void aHostileValueStaysOnItsLine(String hex, String escaped) {
    String c = Character.toString(Integer.parseInt(hex, 16));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new EventLog(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .warn("route" + c + "rejected", "name", "r" + c + "2024-01-01T00:00:00Z INFO event=forged");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith(System.lineSeparator());
    String line = text.substring(0, text.length() - System.lineSeparator().length());
    assertThat(line)
        .doesNotContain(c)
        .endsWith(
            " WARNING event=route"
                + escaped
                + "rejected name=\"r"
                + escaped
                + "2024-01-01T00:00:00Z INFO event=forged\"");
  }
}
