package io.igw.picker.ratelimit;

import java.util.List;

/**
 * What admission took for one request: the charges (buckets and amounts), what each counts, and the
 * estimate they were computed from; settled when the request's completion arrives.
 */
record Reservation(
    List<BucketCharge> charges,
    List<Charged> counted,
    RequestEstimate estimate,
    long createdAtMillis) {

  /** The rule and limit of one charge. */
  record Charged(LimitRule rule, LimitRule.Limit limit) {}
}
