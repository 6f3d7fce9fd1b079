/**
 * Token rate limits (TokenRateLimitPolicy, docs/rate-limits.md): a {@code PickService} decorator
 * that admits a pick when every bucket its rules name has room for the request's estimate, reserves
 * the estimate, and settles the real usage when the completion feed reports the answer.
 *
 * <p>The policy resolver ({@link io.igw.picker.ratelimit.RateLimitPolicyResolver}) and the bucket
 * math ({@link io.igw.picker.ratelimit.TokenBucket}) are pure; the buckets live in memory ({@link
 * io.igw.picker.ratelimit.LocalBucketStore}) or, shared by gateway replicas, in Redis ({@link
 * io.igw.picker.ratelimit.RedisBucketStore}, one Lua script per check-and-reserve).
 */
package io.igw.picker.ratelimit;
