package io.igw.simulator.engine;

/**
 * What the engine needs to know about one request: which model or adapter, the prompt's token ids
 * (their blocks feed the prefix cache) and how many tokens to generate. The ids come from the
 * model's tokenizer and chat template, as vLLM's engine core gets them from its renderer.
 *
 * @param id the OpenAI id of the response
 * @param adapter the LoRA adapter name, or null for the base model
 * @param promptTokenIds the prompt as the model sees it (at least one id)
 * @param outputTokens how many tokens to generate before finishing
 * @param finishReason "length" when max_tokens ends it, "stop" when the model ends on its own
 */
public record GenerationRequest(
    String id, String adapter, int[] promptTokenIds, int outputTokens, String finishReason) {

  public GenerationRequest {
    if (promptTokenIds == null || promptTokenIds.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one token");
    }
    if (outputTokens < 1) {
      outputTokens = 1;
    }
  }

  public int promptTokens() {
    return promptTokenIds.length;
  }
}
