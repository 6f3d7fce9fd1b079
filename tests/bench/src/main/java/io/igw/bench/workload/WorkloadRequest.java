package io.igw.bench.workload;

/**
 * One request of a sequence, identical for every policy that replays it.
 *
 * @param id position in the sequence, from 0
 * @param arrivalSeconds when the client sends it, from the start of the run
 * @param step the load step it belongs to (index into the ladder)
 * @param model the {@code model} field: a base model or a LoRA adapter
 * @param outputTokens tokens to generate ({@code max_tokens} with {@code ignore_eos})
 * @param objective the InferenceObjective named by the {@code x-gateway-inference-objective}
 *     header, or null
 * @param priority that objective's priority (negative: sheddable), as the lab's picker sees it
 * @param stream whether the client asks for SSE
 */
public record WorkloadRequest(
    int id,
    double arrivalSeconds,
    int step,
    String model,
    Prompt prompt,
    int outputTokens,
    String objective,
    int priority,
    boolean stream) {

  public WorkloadRequest {
    if (outputTokens < 1) {
      throw new IllegalArgumentException(
          "request " + id + ": output tokens must be ≥ 1, got " + outputTokens);
    }
    if (!(arrivalSeconds >= 0)) {
      throw new IllegalArgumentException(
          "request " + id + ": arrival must be ≥ 0, got " + arrivalSeconds);
    }
  }

  public boolean sheddable() {
    return priority < 0;
  }
}
