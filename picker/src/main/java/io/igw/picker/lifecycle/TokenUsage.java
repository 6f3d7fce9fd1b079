package io.igw.picker.lifecycle;

/**
 * The tokens one answer used, as the data plane read them from its {@code usage} (or counted them,
 * when a stream ended before its usage chunk: {@code estimated}).
 *
 * @param promptTokens {@code prompt_tokens} ({@code input_tokens} in the Responses API)
 * @param cachedPromptTokens {@code prompt_tokens_details.cached_tokens}; 0 when not reported
 * @param completionTokens {@code completion_tokens} ({@code output_tokens}); 0 for embeddings
 * @param estimated true when the stream was cut before its usage: completion tokens are the content
 *     chunks delivered, prompt tokens the pick's estimate
 */
public record TokenUsage(
    long promptTokens, long cachedPromptTokens, long completionTokens, boolean estimated) {
  public TokenUsage {
    if (promptTokens < 0 || cachedPromptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts are never negative");
    }
    cachedPromptTokens = Math.min(cachedPromptTokens, promptTokens);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
