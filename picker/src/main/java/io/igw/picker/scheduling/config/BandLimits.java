package io.igw.picker.scheduling.config;

/**
 * What one priority band may hold: {@code maxBytes} of request bodies and {@code maxRequests}
 * requests. A band whose {@code maxRequests} is 0 never queues: while the pool is saturated its
 * requests are refused at once.
 */
public record BandLimits(long maxBytes, int maxRequests) {
  /** 256 MiB: bodies wait on the heap (the reference's default is 1 GB). */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  public static final int DEFAULT_MAX_REQUESTS = 10_000;
  public static final BandLimits DEFAULTS = new BandLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUESTS);

  public BandLimits {
    if (maxBytes < 0 || maxRequests < 0) {
      throw new IllegalArgumentException(
          "band limits must be ≥ 0, got maxBytes=" + maxBytes + " maxRequests=" + maxRequests);
    }
  }
}
