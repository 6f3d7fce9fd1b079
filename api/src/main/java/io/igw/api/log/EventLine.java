package io.igw.api.log;

import java.time.Instant;

/**
 * igw's log dialect, one line per event: {@code <instant> <LEVEL> event=<snake_case> key=value
 * ...}, levels named as java.util.logging names them (INFO, WARNING, SEVERE). Keys and the event
 * name are escaped ({@link LogText#controlsEscaped}), values made one token ({@link
 * LogText#value}), so nothing logged can start a line or add a field. The picker's formatter writes
 * the same shape.
 */
public final class EventLine {
  private EventLine() {}

  /** The whole line, without its line break. */
  public static String of(Instant at, String level, String event, Object... keyValues) {
    return new StringBuilder(96)
        .append(at)
        .append(' ')
        .append(level)
        .append(' ')
        .append(fields(event, keyValues))
        .toString();
  }

  /**
   * {@code event=<event> key=value ...}: the message part of a line; a key without a value is
   * dropped.
   */
  public static String fields(String event, Object... keyValues) {
    StringBuilder line =
        new StringBuilder(64).append("event=").append(LogText.controlsEscaped(event));
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ')
          .append(LogText.controlsEscaped(String.valueOf(keyValues[i])))
          .append('=')
          .append(LogText.value(keyValues[i + 1]));
    }
    return line.toString();
  }

  /**
   * An error as one value: its message, or its class when it has none (a bare
   * NullPointerException).
   */
  public static String describe(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getName() : message;
  }

  /**
   * The trace of an unexpected error, one escaped line per frame, each after a line break (16
   * causes at most).
   */
  public static String trace(Throwable thrown) {
    StringBuilder out = new StringBuilder(1024);
    String prefix = "";
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < 16; t = t.getCause()) {
      out.append('\n').append(prefix).append(LogText.controlsEscaped(t.toString()));
      for (StackTraceElement frame : t.getStackTrace()) {
        out.append("\n\tat ").append(frame);
      }
      prefix = "Caused by: ";
    }
    return out.toString();
  }
}
