package io.igw.api.ratelimit;

import java.util.List;

/**
 * One distinct {@code spec.targetRefs} entry of a policy (Gateway API's ancestor of the policy's
 * status): the reference as written, in the policy's namespace, and its own verdict.
 *
 * @param reason {@link PolicyAcceptance#ACCEPTED} when it resolves to at least one pool, {@link
 *     PolicyAcceptance#TARGET_NOT_FOUND} when not, {@link PolicyAcceptance#INVALID} when the policy
 *     is
 * @param pools the pools it resolves to, in the order the target names them
 */
public record TargetAcceptance(
    String group,
    String kind,
    String namespace,
    String name,
    String reason,
    String message,
    List<PoolKey> pools) {
  public TargetAcceptance {
    pools = List.copyOf(pools);
  }

  public boolean accepted() {
    return PolicyAcceptance.ACCEPTED.equals(reason);
  }
}
