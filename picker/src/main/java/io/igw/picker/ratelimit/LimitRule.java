package io.igw.picker.ratelimit;

import java.util.List;

/**
 * One rule of a TokenRateLimitPolicy, resolved and checked.
 *
 * @param policy the policy's {@code namespace/name}
 * @param name the rule's name (its own, or {@code rule-<index>})
 * @param denyWhenStoreDown the policy's {@code failureMode: Deny}
 */
public record LimitRule(
    String policy,
    String name,
    Selector tenant,
    Selector objective,
    Selector model,
    List<Limit> limits,
    CostWeights cost,
    boolean denyWhenStoreDown) {
  public LimitRule {
    limits = List.copyOf(limits);
  }

  /** One budget: {@code amount} of {@code counted} per {@code window}. */
  public record Limit(long amount, Counted counted, Window window) {}

  public boolean matches(String tenantKey, String objectiveName, String modelName) {
    return tenant.matches(tenantKey)
        && objective.matches(objectiveName)
        && model.matches(modelName);
  }

  /** Whether a bucket of this rule depends on a request's value (a {@code "*"} selector). */
  public boolean perValue() {
    return tenant.kind() == Selector.Kind.EACH
        || objective.kind() == Selector.Kind.EACH
        || model.kind() == Selector.Kind.EACH;
  }

  /** The longest window of the rule's limits: a bucket idle that long is full again. */
  public long longestWindowMillis() {
    long longest = 0;
    for (Limit l : limits) {
      longest = Math.max(longest, l.window().millis);
    }
    return longest;
  }
}
