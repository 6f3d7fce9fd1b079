package io.igw.simulator.engine;

/**
 * Identities of a prompt's full KV-cache blocks: a chain of 64-bit hashes where each block's hash covers its
 * text and the hash of the block before, rooted in the adapter name (vLLM keys cached blocks by LoRA too).
 * A token is taken as 4 characters, so a block of {@code blockSize} tokens is {@code 4 × blockSize} characters.
 */
public final class PromptBlocks {

  public static final int CHARS_PER_TOKEN = 4;

  private PromptBlocks() {
  }

  /** Hashes of the full blocks of {@code prompt}, at most {@code promptTokens / blockSize} of them. */
  public static long[] hashes(String adapter, String prompt, int promptTokens, int blockSize) {
    int charsPerBlock = blockSize * CHARS_PER_TOKEN;
    int count = Math.min(prompt.length() / charsPerBlock, promptTokens / blockSize);
    long[] hashes = new long[count];
    long parent = mix(hashChars(adapter == null ? "" : adapter, 0, adapter == null ? 0 : adapter.length(),
        0x9E3779B97F4A7C15L));
    for (int i = 0; i < count; i++) {
      parent = mix(hashChars(prompt, i * charsPerBlock, (i + 1) * charsPerBlock, parent));
      hashes[i] = parent == 0 ? 1 : parent;
    }
    return hashes;
  }

  private static long hashChars(String text, int from, int to, long seed) {
    long h = seed ^ 0xCBF29CE484222325L;
    for (int i = from; i < to; i++) {
      h ^= text.charAt(i);
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** The SplitMix64 finaliser, so that neighbouring chains do not share low bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
