package io.igw.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class EventLineFormatterTest {
  private final EventLineFormatter formatter = new EventLineFormatter();

  @Test
  void anEventLineHasTimeLevelEventAndEscapedValues() {
    assertThat(
            EventLine.of(
                Instant.EPOCH,
                "INFO",
                "nginx_reloaded",
                "servers",
                2,
                "reason",
                "a b\nc",
                "dangling"))
        .isEqualTo("1970-01-01T00:00:00Z INFO event=nginx_reloaded servers=2 reason=\"a b\\nc\"");
  }

  @Test
  void anEventStaysOneLine() {
    assertThat(format(Level.INFO, "event=bridge_warm_up epp=127.0.0.1:1"))
        .endsWith(" INFO event=bridge_warm_up epp=127.0.0.1:1\n")
        .hasLineCount(1);
    assertThat(format(Level.INFO, "event=forged\nINFO event=x"))
        .endsWith(" INFO event=forged\\nINFO event=x\n")
        .hasLineCount(1);
  }

  @Test
  void aLibraryMessageBecomesAnEvent() {
    assertThat(format(Level.WARNING, "Thread vert.x-eventloop-thread-0 has been blocked\nforged"))
        .endsWith(
            " WARNING event=library_log logger=io.vertx.core"
                + " message=\"Thread vert.x-eventloop-thread-0 has been blocked\\nforged\"\n")
        .hasLineCount(1);
  }

  private String format(Level level, String message) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("io.vertx.core");
    return formatter.format(record);
  }

  @Test
  void anExpectedErrorIsOneMoreFieldAndAnUnexpectedOneBringsItsTrace() {
    LogRecord expected = new LogRecord(Level.WARNING, "event=status_write_failed kind=Gateway");
    expected.setThrown(new IOException("connection refused\nforged"));
    assertThat(formatter.format(expected))
        .hasLineCount(1)
        .endsWith("event=status_write_failed kind=Gateway error=\"connection refused\\nforged\"\n");
    LogRecord unexpected = new LogRecord(Level.SEVERE, "event=reconcile_crashed");
    unexpected.setThrown(new IllegalStateException("bug", new NullPointerException()));
    assertThat(formatter.format(unexpected))
        .startsWith(Instant.ofEpochMilli(unexpected.getMillis()) + " SEVERE")
        .contains("\njava.lang.IllegalStateException: bug\n\tat ")
        .contains("\nCaused by: java.lang.NullPointerException\n\tat ");
  }

  @Test
  void installRoutesEveryLoggerToTheStreamInTheDialect() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      EventLineFormatter.install(out, Level.INFO);
      Logger.getLogger("io.fabric8.kubernetes.client.informers").info("watch closed");
      Logger.getLogger("io.fabric8.kubernetes.client.informers").fine("not at INFO");
    } finally {
      LogManager.getLogManager().readConfiguration();
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .hasLineCount(1)
        .endsWith(
            " INFO event=library_log logger=io.fabric8.kubernetes.client.informers message=\"watch closed\"\n");
  }
}
