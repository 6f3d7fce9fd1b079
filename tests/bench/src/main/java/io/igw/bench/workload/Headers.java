package io.igw.bench.workload;

/**
 * Request headers the benchmark sets, by their protocol names (Gateway API Inference Extension).
 */
public final class Headers {
  /** Names the InferenceObjective (priority) of a request. */
  public static final String OBJECTIVE = "x-gateway-inference-objective";

  private Headers() {}
}
