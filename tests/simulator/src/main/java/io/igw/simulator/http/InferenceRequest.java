package io.igw.simulator.http;

import io.igw.simulator.tokens.ChatMessage;
import io.igw.simulator.tokens.PromptRenderer;
import java.util.List;

/**
 * The fields of an OpenAI request body that the simulator acts on.
 *
 * @param model the requested model; null when the body names none (vLLM then uses the base model)
 * @param text a completion's prompt or an embedding's input; null for chat and for token-id prompts
 * @param promptTokenIds a completion prompt given as token ids; null otherwise
 * @param messages a chat's messages, their content flattened to text; empty otherwise
 * @param addSpecialTokens add_special_tokens (vLLM's default: true for completions, false for chat)
 * @param addGenerationPrompt add_generation_prompt (chat; default true)
 * @param maxTokens max_tokens (or max_completion_tokens), null when absent
 * @param minTokens min_tokens, 0 when absent
 * @param ignoreEos ignore_eos: generate exactly max_tokens
 * @param seed seed, null when absent
 */
public record InferenceRequest(
    RequestKind kind,
    String model,
    String text,
    int[] promptTokenIds,
    List<ChatMessage> messages,
    boolean addSpecialTokens,
    boolean addGenerationPrompt,
    Integer maxTokens,
    int minTokens,
    boolean ignoreEos,
    boolean stream,
    boolean includeUsage,
    Long seed) {

  /**
   * The prompt as the model sees it: rendered with its chat template, tokenized with its tokenizer.
   */
  public int[] tokenIds(PromptRenderer renderer) {
    if (promptTokenIds != null) {
      return promptTokenIds;
    }
    int[] ids =
        kind == RequestKind.CHAT
            ? renderer.chat(messages, addGenerationPrompt)
            : renderer.completion(text, addSpecialTokens);
    if (ids.length == 0) {
      throw ApiError.badRequest("The prompt is empty: it has no tokens.");
    }
    return ids;
  }
}
