package io.igw.api.log;

/**
 * Values in {@code event=name key=value} log lines (picker and controller). Client- and
 * resource-given text (request ids, model names, error messages) must not be able to start a new
 * line or add a field: {@link #value} makes one token of any value, and {@link #controlsEscaped}
 * escapes every control character left in a message. (The simulator, which depends on no other igw
 * module, keeps its own copy in its EventLog.)
 */
public final class LogText {
  private LogText() {}

  /**
   * One {@code key=value} token: bare when plain, else quoted with {@code \" \\} and control
   * characters escaped.
   */
  public static String value(Object value) {
    String text = String.valueOf(value);
    if (!text.isEmpty()
        && text.chars()
            .noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || isControl(c))) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        appendEscaped(out, c);
      }
    }
    return out.append('"').toString();
  }

  /** The text with its control characters (U+0000 to U+001F, U+007F, U+2028, U+2029) escaped. */
  public static String controlsEscaped(String text) {
    if (text.chars().noneMatch(LogText::isControl)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      appendEscaped(out, text.charAt(i));
    }
    return out.toString();
  }

  static boolean isControl(int c) {
    return c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029;
  }

  private static void appendEscaped(StringBuilder out, char c) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (isControl(c)) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
  }
}
