package io.igw.bench.report;

/**
 * One policy at one load step, for one class of requests (by arrival step).
 *
 * @param offeredQps the step's arrival rate
 * @param errors failures, including requests the client abandoned at its timeout
 * @param ttft over served requests and abandoned ones (an abandoned request without a first token
 *     counts the timeout: a lower bound)
 * @param outputTokensPerSecond for {@code all}: tokens the servers delivered during the step / its
 *     duration; for a class: output tokens of its served requests / the step's duration
 * @param cacheHitRate prompt tokens served from the prefix cache / prompt tokens (served requests;
 *     NaN unknown)
 * @param goodputRps served requests meeting the SLO (TTFT ≤ 2 s, TPOT ≤ 100 ms) per second
 */
public record StepStats(
    String policy,
    int step,
    double offeredQps,
    double durationSeconds,
    String requestClass,
    int sent,
    int ok,
    int shed,
    int errors,
    Percentiles ttft,
    Percentiles tpot,
    Percentiles e2e,
    double outputTokensPerSecond,
    double cacheHitRate,
    double goodputRps) {

  public static final double SLO_TTFT_SECONDS = 2.0;
  public static final double SLO_TPOT_SECONDS = 0.100;
}
