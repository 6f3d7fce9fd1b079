/**
 * Whether a TokenRateLimitPolicy is accepted and which pools it limits: the one set of rules that
 * the picker enforces by and the controller reports in {@code status.ancestors}. Pure: resources
 * in, verdicts out.
 */
package io.igw.api.ratelimit;
