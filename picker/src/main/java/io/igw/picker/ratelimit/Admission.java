package io.igw.picker.ratelimit;

/**
 * What a bucket store answered for one request's charges.
 *
 * @param refused the index of the first charge that did not fit, or -1 when all were taken
 * @param levels each bucket's level before the charge (after refilling to {@code nowMillis})
 * @param nowMillis the store's clock (Redis's {@code TIME}, or the picker's)
 */
public record Admission(int refused, double[] levels, long nowMillis) {
  public boolean admitted() {
    return refused < 0;
  }
}
