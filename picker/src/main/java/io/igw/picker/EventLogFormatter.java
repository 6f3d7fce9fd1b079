package io.igw.picker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per event: {@code <instant> <LEVEL> <message>}; messages are {@code event key=value ...}. A stack
 * trace follows only for SEVERE records (unexpected errors); expected errors are logged as WARNING or below.
 */
public final class EventLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128)
        .append(Instant.ofEpochMilli(record.getMillis()))
        .append(' ').append(record.getLevel().getName())
        .append(' ').append(formatMessage(record).replace('\n', ' '));
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      } else {
        line.append(" error=\"").append(String.valueOf(thrown.getMessage()).replace('"', '\'')).append('"');
      }
    }
    return line.append('\n').toString();
  }
}
