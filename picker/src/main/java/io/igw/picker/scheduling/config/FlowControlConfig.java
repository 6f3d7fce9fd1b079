package io.igw.picker.scheduling.config;

import java.util.Map;

/**
 * Flow control settings, per pool: {@code maxBytes} over all bands together (0: no global limit),
 * the TTL every queued request gets, the limits of the configured bands by priority, and those of
 * any other priority.
 */
public record FlowControlConfig(
    long maxBytes, long requestTtlMillis, BandLimits defaultBand, Map<Integer, BandLimits> bands) {
  /**
   * Below the gateway's 5 s pick timeout, so a request that waits too long gets our 503, not the
   * gateway's.
   */
  public static final long DEFAULT_REQUEST_TTL_MILLIS = 4000;

  public static final FlowControlConfig DEFAULTS =
      new FlowControlConfig(0, DEFAULT_REQUEST_TTL_MILLIS, BandLimits.DEFAULTS, Map.of());

  public FlowControlConfig {
    if (maxBytes < 0 || requestTtlMillis <= 0) {
      throw new IllegalArgumentException(
          "maxBytes must be ≥ 0 and requestTtlMillis > 0, got "
              + maxBytes
              + ", "
              + requestTtlMillis);
    }
    bands = Map.copyOf(bands);
  }

  public BandLimits limits(int priority) {
    return bands.getOrDefault(priority, defaultBand);
  }
}
