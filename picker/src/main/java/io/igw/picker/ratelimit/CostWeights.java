package io.igw.picker.ratelimit;

import io.igw.picker.lifecycle.TokenUsage;

/**
 * The weights of a {@code Cost} limit: uncached input, cached input and output tokens; the cost of
 * an answer is their weighted sum, rounded up.
 */
public record CostWeights(double input, double cachedInput, double output) {
  public static final CostWeights UNIT = new CostWeights(1, 1, 1);

  /** What a limit counting {@code counted} charges for {@code usage}. */
  public long charge(Counted counted, TokenUsage usage) {
    return switch (counted) {
      case INPUT -> usage.promptTokens();
      case OUTPUT -> usage.completionTokens();
      case TOTAL -> usage.totalTokens();
      case REQUESTS -> 1;
      case COST ->
          (long)
              Math.ceil(
                  (usage.promptTokens() - usage.cachedPromptTokens()) * input
                      + usage.cachedPromptTokens() * cachedInput
                      + usage.completionTokens() * output);
    };
  }
}
