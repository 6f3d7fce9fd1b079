package io.igw.bench.log;

import io.igw.api.log.EventLine;
import java.io.PrintStream;
import java.time.Instant;

/**
 * A benchmark's progress, one event each in igw's dialect ({@link EventLine}): {@code <instant>
 * INFO event=<name> key=value ...}. Reports and tables go to standard output; events to standard
 * error.
 */
@FunctionalInterface
public interface BenchLog {
  /** Progress on standard error. */
  BenchLog STDERR = to(System.err);

  /** Nothing: for tests. */
  BenchLog NONE = (event, keyValues) -> {};

  void event(String event, Object... keyValues);

  static BenchLog to(PrintStream out) {
    return (event, keyValues) -> out.println(EventLine.of(Instant.now(), "INFO", event, keyValues));
  }
}
