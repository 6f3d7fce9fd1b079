package io.igw.picker.ratelimit;

/**
 * How a rule matches one request attribute (tenant, objective, model): any value in one bucket, one
 * exact value, or any value with one bucket per distinct value.
 *
 * @param value the exact value; null unless {@link Kind#EXACT}
 */
public record Selector(Kind kind, String value) {
  public static final String EACH = io.igw.api.ratelimit.RateLimitPolicyCheck.EACH;
  public static final Selector ANY = new Selector(Kind.ANY, null);
  public static final Selector EACH_VALUE = new Selector(Kind.EACH, null);

  public enum Kind {
    ANY,
    EXACT,
    EACH
  }

  public static Selector exact(String value) {
    return new Selector(Kind.EXACT, value);
  }

  /** Whether a request with {@code actual} (null: none) is counted by the rule. */
  public boolean matches(String actual) {
    return kind != Kind.EXACT || value.equals(actual);
  }
}
