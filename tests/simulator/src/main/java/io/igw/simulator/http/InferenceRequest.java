package io.igw.simulator.http;

/**
 * The fields of an OpenAI request body that the simulator acts on.
 *
 * @param model        the requested model; null when the body names none (vLLM then uses the base model)
 * @param prompt       prompt text as the model would see it; chat messages are flattened role by role
 * @param promptTokens prompt length, about 4 characters per token
 * @param maxTokens    max_tokens (or max_completion_tokens), null when absent
 * @param minTokens    min_tokens, 0 when absent
 * @param ignoreEos    ignore_eos: generate exactly max_tokens
 * @param seed         seed, null when absent
 */
public record InferenceRequest(RequestKind kind, String model, String prompt, int promptTokens, Integer maxTokens,
                               int minTokens, boolean ignoreEos, boolean stream, boolean includeUsage, Long seed) {

  /** About four characters per token, as the picker's prefix index assumes. */
  public static int estimateTokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }
}
