package io.igw.picker.ratelimit;

import io.igw.api.log.LogText;
import io.igw.api.ratelimit.PolicyAcceptance;
import java.util.logging.Logger;

/**
 * Whether one TokenRateLimitPolicy was accepted, as Gateway API policies report it: condition
 * {@code Accepted} with reason {@code Accepted}, {@code Invalid} (a field is wrong: nothing of the
 * policy applies) or {@code TargetNotFound} (no target resolved to a pool). The picker logs it; in
 * a cluster the controller writes the same verdict to the policy's {@code status.ancestors}.
 *
 * @param policy {@code namespace/name}
 */
public record PolicyCondition(String policy, boolean accepted, String reason, String message) {
  public static final String ACCEPTED = PolicyAcceptance.ACCEPTED;
  public static final String INVALID = PolicyAcceptance.INVALID;
  public static final String TARGET_NOT_FOUND = PolicyAcceptance.TARGET_NOT_FOUND;

  private static final Logger LOG = Logger.getLogger(PolicyCondition.class.getName());

  public void log() {
    String line =
        "event="
            + (accepted ? "rate_limit_policy_accepted" : "rate_limit_policy_rejected")
            + " policy="
            + LogText.value(policy)
            + " reason="
            + reason
            + " message="
            + LogText.value(message);
    if (accepted) {
      LOG.info(line);
    } else {
      LOG.warning(line);
    }
  }
}
