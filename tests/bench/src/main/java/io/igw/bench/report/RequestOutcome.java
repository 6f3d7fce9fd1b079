package io.igw.bench.report;

/**
 * What happened to one request under one policy. Latencies in seconds, NaN when the request never
 * got there (refused, failed).
 *
 * @param status 200 served; 429 shed; 504 abandoned by the client at its timeout (TTFT: when the
 *     first token came, or the timeout when none did); another HTTP status for a failure; 0 for a
 *     transport failure
 * @param server the server that served it, -1 when none (or unknown)
 * @param cachedTokens prompt tokens the server's prefix cache supplied, -1 when unknown
 */
public record RequestOutcome(
    int id,
    int step,
    int priority,
    int status,
    int server,
    double ttft,
    double tpot,
    double e2e,
    int promptTokens,
    int cachedTokens,
    int outputTokens) {
  public static final int TIMED_OUT = 504;

  public static RequestOutcome refused(
      int id, int step, int priority, int status, int promptTokens) {
    return new RequestOutcome(
        id, step, priority, status, -1, Double.NaN, Double.NaN, Double.NaN, promptTokens, -1, 0);
  }

  public boolean ok() {
    return status == 200;
  }

  public boolean shed() {
    return status == 429;
  }

  public boolean timedOut() {
    return status == TIMED_OUT;
  }

  public boolean failed() {
    return !ok() && !shed();
  }
}
