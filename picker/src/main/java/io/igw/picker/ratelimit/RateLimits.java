package io.igw.picker.ratelimit;

import io.igw.picker.datastore.PoolName;
import java.util.List;
import java.util.Map;

/**
 * The resolved rules of every pool with a TokenRateLimitPolicy, and each policy's condition.
 * Swapped whole when the policies change.
 */
public record RateLimits(Map<PoolName, List<LimitRule>> byPool, List<PolicyCondition> conditions) {
  public static final RateLimits NONE = new RateLimits(Map.of(), List.of());

  public RateLimits {
    byPool = Map.copyOf(byPool);
    conditions = List.copyOf(conditions);
  }

  public List<LimitRule> rules(PoolName pool) {
    return byPool.getOrDefault(pool, List.of());
  }
}
