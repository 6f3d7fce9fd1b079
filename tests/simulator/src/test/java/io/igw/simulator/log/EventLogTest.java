package io.igw.simulator.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
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
    assertThat(EventLog.quoteIfNeeded(value)).isEqualTo(logged);
  }

  @Test
  void aLineIsTimeLevelAndEvent() {
    assertThat(
            EventLog.line(
                Instant.EPOCH, "INFO", "simulator_ready", "name", "server-0", "time_scale", 10.0))
        .isEqualTo("1970-01-01T00:00:00Z INFO event=simulator_ready name=server-0 time_scale=10.0");
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
    String line =
        EventLog.fields("request_failed", "path", "/v1" + c + "event=simulator_ready name=forged");
    assertThat(line)
        .isEqualTo(
            "event=request_failed path=\"/v1" + escaped + "event=simulator_ready name=forged\"")
        .doesNotContain(c);
  }

  @Test
  void vertxRecordsBecomeLibraryEventsWithoutATraceUnlessSevere() {
    LogRecord blocked =
        new LogRecord(Level.WARNING, "Thread vert.x-eventloop-thread-1 has been blocked");
    blocked.setLoggerName("io.vertx.core.impl.BlockedThreadChecker");
    blocked.setThrown(new IOException("stuck\nforged"));
    assertThat(new EventLog.LibraryFormatter().format(blocked))
        .hasLineCount(1)
        .endsWith(
            " WARNING"
                + " event=library_log logger=io.vertx.core.impl.BlockedThreadChecker"
                + " message=\"Thread vert.x-eventloop-thread-1 has been blocked\" error=\"stuck\\nforged\"\n");
    LogRecord crash = new LogRecord(Level.SEVERE, "Unhandled exception");
    crash.setThrown(new IllegalStateException("bug"));
    assertThat(new EventLog.LibraryFormatter().format(crash))
        .contains(" SEVERE event=library_log")
        .contains("\njava.lang.IllegalStateException: bug\n\tat ");
  }
}
