package io.igw.simulator;

/** One line per event on stdout: the event's words, then key=value pairs. No stack traces. */
public final class EventLog {

  private EventLog() {
  }

  public static void log(String event, Object... keyValues) {
    StringBuilder line = new StringBuilder(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ').append(keyValues[i]).append('=').append(quoteIfNeeded(String.valueOf(keyValues[i + 1])));
    }
    System.out.println(line);
  }

  private static String quoteIfNeeded(String value) {
    if (value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=')) {
      return '"' + value.replace("\"", "\\\"") + '"';
    }
    return value;
  }
}
