package io.igw.picker.ratelimit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.TokenRateLimitPolicy.Limit;
import io.igw.api.TokenRateLimitPolicy.Match;
import io.igw.api.TokenRateLimitPolicy.Rule;
import io.igw.api.ratelimit.PolicyAcceptance;
import io.igw.api.ratelimit.PoolKey;
import io.igw.api.ratelimit.RateLimitPolicyCheck;
import io.igw.picker.datastore.PoolName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves TokenRateLimitPolicies to the pools they limit. Pure. Which policies are accepted and
 * which pools they limit is {@link RateLimitPolicyCheck}'s (the controller reports the same
 * verdicts in the policies' status); this class turns the checked rules of the accepted ones into
 * {@link LimitRule}s. The rules of a pool come in policy order, oldest first.
 */
public final class RateLimitPolicyResolver {
  private RateLimitPolicyResolver() {}

  public static RateLimits resolve(Collection<? extends HasMetadata> resources) {
    Map<PoolName, List<LimitRule>> byPool = new HashMap<>();
    List<PolicyCondition> conditions = new ArrayList<>();
    for (PolicyAcceptance policy : RateLimitPolicyCheck.check(resources)) {
      conditions.add(
          new PolicyCondition(policy.id(), policy.accepted(), policy.reason(), policy.message()));
      if (!policy.accepted()) {
        continue;
      }
      List<LimitRule> rules = rules(policy.id(), policy.checked());
      for (PoolKey pool : policy.pools()) {
        byPool
            .computeIfAbsent(new PoolName(pool.namespace(), pool.name()), p -> new ArrayList<>())
            .addAll(rules);
      }
    }
    return new RateLimits(byPool, conditions);
  }

  /** The rules of a checked spec: every field valid, every default filled in. */
  private static List<LimitRule> rules(String policy, TokenRateLimitPolicy.Spec checked) {
    boolean deny = RateLimitPolicyCheck.DENY.equals(checked.failureMode());
    List<LimitRule> out = new ArrayList<>();
    for (Rule rule : checked.rules()) {
      Match match = rule.match();
      out.add(
          new LimitRule(
              policy,
              rule.name(),
              selector(match.tenant()),
              selector(match.objective()),
              selector(match.model()),
              rule.limits().stream().map(RateLimitPolicyResolver::limit).toList(),
              new CostWeights(rule.cost().input(), rule.cost().cachedInput(), rule.cost().output()),
              deny));
    }
    return out;
  }

  private static Selector selector(String value) {
    if (value == null) {
      return Selector.ANY;
    }
    return value.equals(Selector.EACH) ? Selector.EACH_VALUE : Selector.exact(value);
  }

  private static LimitRule.Limit limit(Limit limit) {
    Window window = Window.of(limit.per());
    Counted counted = limit.requests() != null ? Counted.REQUESTS : Counted.ofTokens(limit.count());
    if (window == null || counted == null) {
      throw new IllegalStateException("unchecked limit " + limit);
    }
    long amount = limit.tokens() != null ? limit.tokens() : limit.requests();
    return new LimitRule.Limit(amount, counted, window);
  }
}
