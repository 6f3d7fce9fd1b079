package io.igw.api.ratelimit;

import io.igw.api.TokenRateLimitPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict on one TokenRateLimitPolicy, as Gateway API policies report it: condition {@code
 * Accepted} with reason {@code Accepted}, {@code Invalid} (a field is wrong: nothing of the policy
 * applies) or {@code TargetNotFound} (no target resolves to a pool).
 *
 * @param checked the spec with every default filled in (rule names {@code rule-<index>}, {@code
 *     failureMode: Allow}, {@code count: Total}, cost weights 1, an empty match); null when invalid
 * @param targets one per distinct target reference (at most {@link
 *     RateLimitPolicyCheck#MAX_TARGETS}), each with its own verdict
 */
public record PolicyAcceptance(
    TokenRateLimitPolicy policy,
    String reason,
    String message,
    TokenRateLimitPolicy.Spec checked,
    List<TargetAcceptance> targets) {
  public static final String ACCEPTED = "Accepted";
  public static final String INVALID = "Invalid";
  public static final String TARGET_NOT_FOUND = "TargetNotFound";

  public PolicyAcceptance {
    targets = List.copyOf(targets);
  }

  /** {@code namespace/name}. */
  public String id() {
    return RateLimitPolicyCheck.namespace(policy) + "/" + policy.getMetadata().getName();
  }

  public boolean accepted() {
    return ACCEPTED.equals(reason);
  }

  /** Every pool the policy limits: those of its targets, in target order, each once. */
  public Set<PoolKey> pools() {
    Set<PoolKey> out = new LinkedHashSet<>();
    targets.forEach(t -> out.addAll(t.pools()));
    return out;
  }
}
