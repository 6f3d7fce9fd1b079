package io.igw.picker.ratelimit;

import io.igw.api.log.LogText;
import java.util.logging.Logger;

/**
 * Whether one TokenRateLimitPolicy was accepted, as Gateway API policies report it: condition
 * {@code Accepted} with reason {@code Accepted}, {@code Invalid} (a field is wrong: nothing of the
 * policy applies) or {@code TargetNotFound} (no target resolved to a pool).
 *
 * @param policy {@code namespace/name}
 */
public record PolicyCondition(String policy, boolean accepted, String reason, String message) {
  public static final String ACCEPTED = "Accepted";
  public static final String INVALID = "Invalid";
  public static final String TARGET_NOT_FOUND = "TargetNotFound";

  private static final Logger LOG = Logger.getLogger(PolicyCondition.class.getName());

  static PolicyCondition accepted(String policy, String message) {
    return new PolicyCondition(policy, true, ACCEPTED, message);
  }

  static PolicyCondition rejected(String policy, String reason, String message) {
    return new PolicyCondition(policy, false, reason, message);
  }

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
