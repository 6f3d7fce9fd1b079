package io.igw.controller.log;

import io.igw.api.log.EventLine;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The controller's events, one line each in igw's dialect ({@link EventLine}): {@code time LEVEL
 * event=name key=value ...}; values that are not plain are quoted, and no value can forge a line or
 * a field.
 */
public final class EventLog {
  private final PrintStream out;

  public EventLog(PrintStream out) {
    this.out = out;
  }

  public void info(String event, Object... keyValues) {
    write("INFO", event, keyValues);
  }

  /**
   * An expected failure (a rejected config, an unreachable API server): one line, no stack trace.
   */
  public void warn(String event, Object... keyValues) {
    write("WARNING", event, keyValues);
  }

  private synchronized void write(String level, String event, Object... keyValues) {
    out.println(EventLine.of(Instant.now(), level, event, keyValues));
  }
}
