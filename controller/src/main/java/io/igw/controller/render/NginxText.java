package io.igw.controller.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place that writes values into nginx.conf: bare words, quoted strings and strings that mix
 * NGINX variables with literal text. Graph building already let only allow-listed values through;
 * this is where they get their escaping, and where a value that cannot be written safely stops the
 * render instead of changing the config.
 *
 * <p>NGINX's parser drops the backslash of {@code \"}, {@code \'} and {@code \\} (and turns {@code
 * \t \r \n} into control characters) inside or outside quotes, so backslashes and the quote are
 * escaped. A {@code $} cannot be escaped in a string that NGINX expands (set, proxy_set_header,
 * return), so literal text must not hold one: JSON for njs writes it as {@code \u0024} ({@link
 * NjsValues}).
 */
final class NginxText {
  /**
   * Bare words: header names, paths and host names of the allow-lists; nothing NGINX would read as
   * syntax.
   */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.~/*:=@+-]+");

  private static final Pattern VARIABLE = Pattern.compile("[a-z_][a-z0-9_]*");

  private NginxText() {}

  static String word(String value) {
    if (value == null || !WORD.matcher(value).matches()) {
      throw new IllegalArgumentException("not a bare nginx.conf word: " + printable(value));
    }
    return value;
  }

  /** {@code "value"}: NGINX reads exactly {@code value}. */
  static String quoted(String literal) {
    return new Quoted('"').literal(literal).toString();
  }

  /** {@code 'value'}: NGINX reads exactly {@code value}. */
  static String singleQuoted(String literal) {
    return new Quoted('\'').literal(literal).toString();
  }

  /** A double-quoted string built from literal text and NGINX variables, in order. */
  static Quoted quotedString() {
    return new Quoted('"');
  }

  /** A quoted string of literal parts and {@code $variable}s. */
  static final class Quoted {
    private final char quote;
    private final List<Part> parts = new ArrayList<>();

    /** A variable's name, or literal text already escaped. */
    private record Part(boolean variable, String text) {}

    private Quoted(char quote) {
      this.quote = quote;
    }

    Quoted variable(String name) {
      if (name == null || !VARIABLE.matcher(name).matches()) {
        throw new IllegalArgumentException("not an nginx variable name: " + printable(name));
      }
      parts.add(new Part(true, name));
      return this;
    }

    Quoted literal(String value) {
      if (value == null) {
        throw new IllegalArgumentException("no value to write");
      }
      StringBuilder escaped = new StringBuilder();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '$' || c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException(
              "cannot be written literally in nginx.conf: " + printable(value));
        }
        if (c == '\\' || c == quote) {
          escaped.append('\\');
        }
        escaped.append(c);
      }
      parts.add(new Part(false, escaped.toString()));
      return this;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder().append(quote);
      for (int i = 0; i < parts.size(); i++) {
        Part part = parts.get(i);
        if (!part.variable()) {
          out.append(part.text());
          continue;
        }
        Part next = i + 1 < parts.size() ? parts.get(i + 1) : null;
        // $name followed by a name character would read as a longer name
        boolean braces =
            next != null
                && !next.variable()
                && !next.text().isEmpty()
                && isNameChar(next.text().charAt(0));
        out.append(braces ? "${" + part.text() + "}" : "$" + part.text());
      }
      return out.append(quote).toString();
    }

    private static boolean isNameChar(char c) {
      return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
  }

  private static String printable(String value) {
    return value == null ? "null" : io.igw.api.log.LogText.value(value);
  }
}
