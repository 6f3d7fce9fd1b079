package io.igw.picker.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bucket identities, the same on every replica: {@code <policy>/<rule>/<limit index>:<what><per>}
 * (e.g. {@code default/free-tier/free-tier/0:TM}), then for a {@code "*"} rule the request's values
 * ({@code |t=<tenant>|o=<objective>|m=<model>}, only the {@code "*"} fields). A value that is not a
 * short plain id is replaced by {@code #} and 16 hex digits of its SHA-256, so a key stays short
 * and printable whatever a client sends.
 */
final class BucketKeys {
  private static final int MAX_PLAIN = 64;

  private BucketKeys() {}

  static String of(LimitRule rule, int limitIndex, String values) {
    LimitRule.Limit limit = rule.limits().get(limitIndex);
    char what = limit.counted() == Counted.REQUESTS ? 'R' : limit.counted().field.charAt(0);
    return rule.policy()
        + "/"
        + rule.name()
        + "/"
        + limitIndex
        + ":"
        + what
        + limit.window().letter
        + values;
  }

  /**
   * The {@code "*"} part of a rule's keys for one request; empty when the rule has no {@code "*"}.
   */
  static String values(LimitRule rule, String tenant, String objective, String model) {
    if (!rule.perValue()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (rule.tenant().kind() == Selector.Kind.EACH) {
      out.append("|t=").append(safe(tenant));
    }
    if (rule.objective().kind() == Selector.Kind.EACH) {
      out.append("|o=").append(safe(objective));
    }
    if (rule.model().kind() == Selector.Kind.EACH) {
      out.append("|m=").append(safe(model));
    }
    return out.toString();
  }

  static String safe(String value) {
    if (value == null) {
      return "-";
    }
    if (value.length() <= MAX_PLAIN && plain(value)) {
      return value;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static boolean plain(String value) {
    if (value.isEmpty() || value.equals("-") || value.equals(DistinctValues.OTHER)) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '_'
          || c == ':'
          || c == '@'
          || c == '/'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
