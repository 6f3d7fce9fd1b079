package io.igw.simulator.engine;

/** The request latency histograms vLLM exports, in seconds, with vLLM's bucket bounds. */
public final class LatencyHistograms {

  private static final double[] TTFT_BOUNDS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    20.0, 40.0, 80.0, 160.0, 640.0, 2560.0
  };
  private static final double[] ITL_BOUNDS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
    40.0, 80.0
  };
  private static final double[] REQUEST_BOUNDS = {
    0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0,
    480.0, 960.0, 1920.0, 7680.0
  };

  private final BucketHistogram timeToFirstToken;
  private final BucketHistogram interTokenLatency;
  private final BucketHistogram e2eRequestLatency;
  private final BucketHistogram requestQueueTime;

  public LatencyHistograms() {
    this(
        new BucketHistogram(TTFT_BOUNDS),
        new BucketHistogram(ITL_BOUNDS),
        new BucketHistogram(REQUEST_BOUNDS),
        new BucketHistogram(REQUEST_BOUNDS));
  }

  private LatencyHistograms(
      BucketHistogram ttft, BucketHistogram itl, BucketHistogram e2e, BucketHistogram queue) {
    this.timeToFirstToken = ttft;
    this.interTokenLatency = itl;
    this.e2eRequestLatency = e2e;
    this.requestQueueTime = queue;
  }

  public BucketHistogram timeToFirstToken() {
    return timeToFirstToken;
  }

  public BucketHistogram interTokenLatency() {
    return interTokenLatency;
  }

  public BucketHistogram e2eRequestLatency() {
    return e2eRequestLatency;
  }

  public BucketHistogram requestQueueTime() {
    return requestQueueTime;
  }

  public LatencyHistograms copy() {
    return new LatencyHistograms(
        timeToFirstToken.copy(),
        interTokenLatency.copy(),
        e2eRequestLatency.copy(),
        requestQueueTime.copy());
  }
}
