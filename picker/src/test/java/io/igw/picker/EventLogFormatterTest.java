package io.igw.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class EventLogFormatterTest {
  private final EventLogFormatter formatter = new EventLogFormatter();

  @Test
  void aMessageIsOneLineWhateverItHolds() {
    String line =
        formatter.format(
            new LogRecord(Level.WARNING, "pick refused model=a\nINFO forged\r\u0000\u2028\u007f"));
    assertThat(line).endsWith("pick refused model=a\\nINFO forged\\r\\u0000\\u2028\\u007f\n");
    assertThat(line.lines()).hasSize(1);
  }

  @Test
  void anExpectedErrorIsAQuotedFieldWithoutATrace() {
    LogRecord record = new LogRecord(Level.WARNING, "scrape failed");
    record.setThrown(new IllegalStateException("bad \"value\"\nsecond line"));
    String line = formatter.format(record);
    assertThat(line).endsWith("scrape failed error=\"bad \\\"value\\\"\\nsecond line\"\n");
    assertThat(line.lines()).hasSize(1);
  }

  @Test
  void anUnexpectedErrorHasItsTraceWithEscapedMessages() {
    LogRecord record = new LogRecord(Level.SEVERE, "pick failed");
    record.setThrown(
        new RuntimeException("outer\nfake", new IllegalArgumentException("inner\r\nfake")));
    String text = formatter.format(record);
    assertThat(text.lines().filter(l -> l.startsWith("fake") || l.startsWith("\nfake"))).isEmpty();
    assertThat(text)
        .contains("java.lang.RuntimeException: outer\\nfake")
        .contains("Caused by: java.lang.IllegalArgumentException: inner\\r\\nfake")
        .contains(
            "\tat io.igw.picker.EventLogFormatterTest.anUnexpectedErrorHasItsTraceWithEscapedMessages");
  }
}
