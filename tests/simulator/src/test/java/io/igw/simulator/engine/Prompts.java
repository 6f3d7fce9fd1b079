package io.igw.simulator.engine;

import java.util.SplittableRandom;

/** Prompt texts and requests for engine tests: 4 characters per token, reproducible. */
final class Prompts {

  private static int counter;

  private Prompts() {
  }

  /** A text of {@code tokens} tokens, different for each seed. */
  static String text(long seed, int tokens) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder(tokens * 4);
    for (int i = 0; i < tokens; i++) {
      text.append((char) ('a' + random.nextInt(26))).append((char) ('a' + random.nextInt(26)))
          .append((char) ('a' + random.nextInt(26))).append(' ');
    }
    return text.toString();
  }

  static GenerationRequest request(String prompt, int outputTokens) {
    return request(null, prompt, outputTokens);
  }

  static GenerationRequest request(String adapter, String prompt, int outputTokens) {
    return new GenerationRequest("req-" + (++counter), adapter, prompt, prompt.length() / 4, outputTokens, "length");
  }
}
