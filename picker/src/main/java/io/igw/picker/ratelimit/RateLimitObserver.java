package io.igw.picker.ratelimit;

/** What rate limiting reports (the picker's metrics implement it). */
public interface RateLimitObserver {
  RateLimitObserver NONE = new RateLimitObserver() {};

  /** A request refused by {@code rule} of {@code policy}; {@code type}: tokens or requests. */
  default void rateLimited(String policy, String rule, String type) {}

  /**
   * A bucket-store call failed ({@code operation}: admit or settle); for admit, {@code denied} says
   * whether the request was refused (failureMode Deny) or let through (Allow).
   */
  default void rateLimitStoreError(String operation, boolean denied) {}
}
