package io.igw.simulator.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Prompts and requests for engine tests: token ids drawn from a seed, reproducible. */
final class Prompts {

  private static int counter;

  private Prompts() {}

  /** A prompt of {@code tokens} token ids, different for each seed. */
  static int[] ids(long seed, int tokens) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] ids = new int[tokens];
    for (int i = 0; i < tokens; i++) {
      ids[i] = random.nextInt(200_000);
    }
    return ids;
  }

  static int[] concat(int[] first, int[] second) {
    int[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }

  static GenerationRequest request(int[] prompt, int outputTokens) {
    return request(null, prompt, outputTokens);
  }

  static GenerationRequest request(String adapter, int[] prompt, int outputTokens) {
    return new GenerationRequest("req-" + (++counter), adapter, prompt, outputTokens, "length");
  }
}
