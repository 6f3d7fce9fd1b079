package io.igw.controller.log;

import io.igw.api.log.LogText;
import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per event: {@code time level event=name key=value ...}; values that are not plain are quoted, and no
 * value can forge a line or a field ({@link LogText}).
 */
public final class EventLog {
  private final PrintStream out;

  public EventLog(PrintStream out) {
    this.out = out;
  }

  public void info(String event, Object... keyValues) {
    write("INFO", event, keyValues);
  }

  public void warn(String event, Object... keyValues) {
    write("WARN", event, keyValues);
  }

  private synchronized void write(String level, String event, Object... keyValues) {
    StringBuilder line = new StringBuilder().append(Instant.now()).append(' ').append(level).append(" event=")
        .append(LogText.controlsEscaped(event));
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ').append(LogText.controlsEscaped(String.valueOf(keyValues[i]))).append('=')
          .append(LogText.value(keyValues[i + 1]));
    }
    out.println(line);
  }
}
