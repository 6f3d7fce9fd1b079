package io.igw.controller.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * nginx.conf read the way NGINX's own tokenizer reads it (ngx_conf_read_token): words split by
 * whitespace, quoted strings with backslash escapes, {@code #} comments, {@code ;} ending a
 * directive, {@code {} and {@code }} opening and closing a block. {@link #shape} counts each
 * directive by where it is (the names of the blocks around it), its name and its number of
 * arguments; the entries of a {@code map} block count as one kind whatever their key.
 */
final class NginxDirectiveTree {
  private static final Set<String> TABLE_BLOCKS = Set.of("map", "types");

  private NginxDirectiveTree() {}

  /** Directive "http/server/location/proxy_pass#1" → how many; fails on unbalanced text. */
  static Map<String, Integer> shape(String conf) {
    Map<String, Integer> out = new HashMap<>();
    List<String> blocks = new ArrayList<>();
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = conf.length();
    while (i < n) {
      char c = conf.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < n && conf.charAt(i) != '\n') {
          i++;
        }
      } else if (c == ';' || c == '{') {
        if (words.isEmpty()) {
          throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }
        String name =
            blocks.isEmpty() || !TABLE_BLOCKS.contains(blocks.get(blocks.size() - 1))
                ? words.get(0)
                : "(entry)";
        out.merge(
            String.join("/", blocks)
                + "/"
                + name
                + "#"
                + (words.size() - 1)
                + (c == '{' ? "{" : ""),
            1,
            Integer::sum);
        if (c == '{') {
          blocks.add(name);
        }
        words.clear();
        i++;
      } else if (c == '}') {
        if (!words.isEmpty() || blocks.isEmpty()) {
          throw new IllegalArgumentException("unexpected '}' at " + i);
        }
        blocks.remove(blocks.size() - 1);
        i++;
      } else if (c == '"' || c == '\'') {
        StringBuilder word = new StringBuilder();
        i++;
        while (i < n && conf.charAt(i) != c) {
          if (conf.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          word.append(conf.charAt(i++));
        }
        if (i >= n) {
          throw new IllegalArgumentException("unterminated quote");
        }
        i++;
        words.add(word.toString());
      } else {
        StringBuilder word = new StringBuilder();
        while (i < n) {
          char w = conf.charAt(i);
          if (Character.isWhitespace(w) || w == ';' || w == '{' && !endsWithDollar(word)) {
            break;
          }
          if (w == '\\' && i + 1 < n) {
            i++;
          }
          word.append(conf.charAt(i++));
        }
        words.add(word.toString());
      }
    }
    if (!blocks.isEmpty() || !words.isEmpty()) {
      throw new IllegalArgumentException("unbalanced: open " + blocks + " words " + words);
    }
    return out;
  }

  private static boolean endsWithDollar(StringBuilder word) {
    return word.length() > 0 && word.charAt(word.length() - 1) == '$';
  }

  /**
   * The directives of {@code candidate} that {@code reference} has fewer of: empty when it embeds.
   */
  static Map<String, String> notEmbedded(
      Map<String, Integer> candidate, Map<String, Integer> reference) {
    Map<String, String> out = new java.util.TreeMap<>();
    candidate.forEach(
        (key, count) -> {
          int have = reference.getOrDefault(key, 0);
          if (count > have) {
            out.put(key, count + " > " + have);
          }
        });
    return out;
  }
}
