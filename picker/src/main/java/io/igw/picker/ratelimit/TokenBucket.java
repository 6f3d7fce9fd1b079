package io.igw.picker.ratelimit;

/**
 * The bucket math, pure: a bucket holds up to {@code capacity} (the limit) and refills it at an
 * even rate over one window, so {@code capacity / window} per millisecond. A request is admitted
 * when the bucket holds at least its cost; a settlement gives back what a reservation
 * over-estimated (or takes what it under-estimated: the level may go below zero, a debt later
 * requests wait out). Redis runs the same arithmetic in {@link RedisBucketStore}'s Lua script.
 *
 * <p>Why a refilling bucket rather than fixed windows: a fixed window lets a client spend its limit
 * at the end of one window and again at the start of the next (twice the limit within a few
 * seconds); here no span of one window admits more than the limit plus what refilled during it. It
 * is also what OpenAI's headers describe: {@code remaining} is the level, {@code reset} the time
 * until the bucket is full again. The price: two numbers per bucket instead of a counter.
 */
public final class TokenBucket {
  private TokenBucket() {}

  /** The level at {@code nowMillis} of a bucket at {@code level} at {@code updatedAtMillis}. */
  public static double refilled(
      double level, long updatedAtMillis, long nowMillis, long capacity, long windowMillis) {
    long elapsed = Math.max(0, nowMillis - updatedAtMillis);
    return Math.min(capacity, level + (double) elapsed * capacity / windowMillis);
  }

  /** Milliseconds until a bucket at {@code level} holds {@code wanted} (0 when it does). */
  public static long millisUntil(double level, double wanted, long capacity, long windowMillis) {
    if (level >= wanted) {
      return 0;
    }
    return (long) Math.ceil((wanted - level) * windowMillis / capacity);
  }

  /** Milliseconds until a bucket at {@code level} is full: how long its key must live. */
  public static long millisUntilFull(double level, long capacity, long windowMillis) {
    return millisUntil(level, capacity, capacity, windowMillis);
  }
}
