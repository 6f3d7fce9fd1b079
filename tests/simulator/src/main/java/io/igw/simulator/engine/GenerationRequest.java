package io.igw.simulator.engine;

/**
 * What the engine needs to know about one request: which model or adapter, the prompt (its text feeds the
 * prefix cache) and how many tokens to generate.
 *
 * @param id           the OpenAI id of the response
 * @param adapter      the LoRA adapter name, or null for the base model
 * @param prompt       the prompt text as the model would see it (chat messages flattened)
 * @param promptTokens prompt length in tokens
 * @param outputTokens how many tokens to generate before finishing
 * @param finishReason "length" when max_tokens ends it, "stop" when the model ends on its own
 */
public record GenerationRequest(String id, String adapter, String prompt, int promptTokens, int outputTokens,
                                String finishReason) {

  public GenerationRequest {
    if (promptTokens < 1) {
      promptTokens = 1;
    }
    if (outputTokens < 1) {
      outputTokens = 1;
    }
  }
}
