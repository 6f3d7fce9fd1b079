package io.igw.picker.ratelimit;

/**
 * One bucket a request is charged to, and by how much.
 *
 * @param key the bucket's identity, the same on every replica ({@link BucketKeys})
 * @param capacity the limit
 * @param amount tokens or requests: taken at admission; at settlement, what to give back (negative:
 *     to take more)
 */
public record BucketCharge(String key, long capacity, long windowMillis, long amount) {
  public BucketCharge withAmount(long newAmount) {
    return new BucketCharge(key, capacity, windowMillis, newAmount);
  }
}
