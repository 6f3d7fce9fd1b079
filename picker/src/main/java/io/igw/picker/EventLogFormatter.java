package io.igw.picker;

import io.igw.api.log.LogText;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per event: {@code <instant> <LEVEL> <message>}; messages are {@code event key=value
 * ...}, and every control character in them is escaped ({@link LogText}), so no logged value can
 * forge a line. A stack trace follows only for SEVERE records (unexpected errors), one escaped line
 * per frame; expected errors are logged as WARNING or below, with their message as {@code error=}.
 */
public final class EventLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line =
        new StringBuilder(128)
            .append(Instant.ofEpochMilli(record.getMillis()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(' ')
            .append(LogText.controlsEscaped(formatMessage(record)));
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        appendTrace(line, thrown);
      } else {
        line.append(" error=").append(LogText.value(String.valueOf(thrown.getMessage())));
      }
    }
    return line.append('\n').toString();
  }

  private static void appendTrace(StringBuilder line, Throwable thrown) {
    String prefix = "";
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < 16; t = t.getCause()) {
      line.append('\n').append(prefix).append(LogText.controlsEscaped(t.toString()));
      for (StackTraceElement frame : t.getStackTrace()) {
        line.append("\n\tat ").append(frame);
      }
      prefix = "Caused by: ";
    }
  }
}
