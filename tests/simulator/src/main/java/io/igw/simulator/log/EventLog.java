package io.igw.simulator.log;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * One line per event on stdout, in igw's dialect: {@code <instant> <LEVEL> event=<snake_case>
 * key=value ...}, values escaped, no stack traces for expected errors. The line shape and the
 * escaping are io.igw.api.log's (EventLine, LogText), copied: the simulator depends on no other igw
 * module.
 */
public final class EventLog {

  private EventLog() {}

  public static void info(String event, Object... keyValues) {
    System.out.println(line(Instant.now(), "INFO", event, keyValues));
  }

  /** An expected failure: one line, its cause as a field, no trace. */
  public static void warn(String event, Object... keyValues) {
    System.out.println(line(Instant.now(), "WARNING", event, keyValues));
  }

  static String line(Instant at, String level, String event, Object... keyValues) {
    return at + " " + level + " " + fields(event, keyValues);
  }

  static String fields(String event, Object... keyValues) {
    StringBuilder line = new StringBuilder("event=").append(escaped(event, false));
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ')
          .append(escaped(String.valueOf(keyValues[i]), false))
          .append('=')
          .append(quoteIfNeeded(String.valueOf(keyValues[i + 1])));
    }
    return line.toString();
  }

  /**
   * Vert.x's own java.util.logging records on stdout in the same dialect ({@code event=library_log
   * ...}).
   */
  public static void installForLibraries() {
    LogManager.getLogManager().reset();
    Handler handler =
        new StreamHandler(System.out, new LibraryFormatter()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    Logger.getLogger("").addHandler(handler);
  }

  /**
   * A record that is not {@code event=...} becomes {@code event=library_log logger=...
   * message=...}.
   */
  static final class LibraryFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      String message = formatMessage(record);
      String fields =
          message != null && message.startsWith("event=")
              ? escaped(message, false)
              : fields("library_log", "logger", record.getLoggerName(), "message", message);
      StringBuilder line =
          new StringBuilder(Instant.ofEpochMilli(record.getMillis()).toString())
              .append(' ')
              .append(record.getLevel().getName())
              .append(' ')
              .append(fields);
      Throwable thrown = record.getThrown();
      if (thrown != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        int depth = 0;
        for (Throwable t = thrown; t != null && depth++ < 16; t = t.getCause()) {
          line.append(t == thrown ? "\n" : "\nCaused by: ").append(escaped(t.toString(), false));
          for (StackTraceElement frame : t.getStackTrace()) {
            line.append("\n\tat ").append(frame);
          }
        }
      } else if (thrown != null) {
        line.append(" error=").append(quoteIfNeeded(String.valueOf(thrown.getMessage())));
      }
      return line.append('\n').toString();
    }
  }

  /**
   * One {@code key=value} token: bare when plain, else quoted with {@code \" \\} escaped; every
   * control character (U+0000 to U+001F, U+007F, U+2028, U+2029) is escaped, so no value can forge
   * a line or a field.
   */
  static String quoteIfNeeded(String value) {
    boolean plain =
        !value.isEmpty()
            && value
                .chars()
                .noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || isControl(c));
    return plain ? value : '"' + escaped(value, true) + '"';
  }

  private static String escaped(String text, boolean quotes) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quotes && (c == '"' || c == '\\')) {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (isControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isControl(int c) {
    return c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029;
  }
}
