package io.igw.controller;

import java.io.PrintStream;
import java.time.Instant;

/** One line per event: {@code time level event=name key=value ...}; values with spaces are quoted. */
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
        .append(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
    }
    out.println(line);
  }

  private static String quote(String value) {
    String oneLine = value.replace('\n', ' ').replace('\r', ' ');
    return oneLine.isEmpty() || oneLine.contains(" ") || oneLine.contains("\"")
        ? '"' + oneLine.replace("\"", "'") + '"' : oneLine;
  }
}
