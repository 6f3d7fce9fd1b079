package io.igw.simulator.log;

/**
 * One line per event on stdout: the event's words, then key=value pairs (values escaped). No stack traces. The
 * escaping is io.igw.api.log.LogText's, copied: the simulator depends on no other igw module.
 */
public final class EventLog {

  private EventLog() {
  }

  public static void log(String event, Object... keyValues) {
    System.out.println(line(event, keyValues));
  }

  static String line(String event, Object... keyValues) {
    StringBuilder line = new StringBuilder(escaped(event, false));
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      line.append(' ').append(escaped(String.valueOf(keyValues[i]), false)).append('=')
          .append(quoteIfNeeded(String.valueOf(keyValues[i + 1])));
    }
    return line.toString();
  }

  /**
   * One {@code key=value} token: bare when plain, else quoted with {@code \" \\} escaped; every control character
   * (U+0000 to U+001F, U+007F, U+2028, U+2029) is escaped, so no value can forge a line or a field.
   */
  static String quoteIfNeeded(String value) {
    boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\'
        || isControl(c));
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
