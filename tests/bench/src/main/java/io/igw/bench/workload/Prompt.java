package io.igw.bench.workload;

import java.util.Arrays;

/**
 * A prompt as a chain of seeded segments (a shared system prompt, a question, earlier turns), each
 * of an exact number of tokens, or a literal text from a trace. The words of a segment are a
 * function of its seed and of the tokenizer ({@link PromptText} writes them), so two prompts that
 * start with the same segments start with the same text and the same tokens, which is what prefix
 * caches see.
 */
public final class Prompt {
  private final long[] seeds;
  private final int[] tokens;
  private final String literal;
  private final int totalTokens;

  private Prompt(long[] seeds, int[] tokens, String literal, int totalTokens) {
    this.seeds = seeds;
    this.tokens = tokens;
    this.literal = literal;
    this.totalTokens = totalTokens;
  }

  /** One segment of {@code tokens} tokens whose words are a function of {@code seed}. */
  public static Prompt segment(long seed, int tokens) {
    return new Prompt(
        new long[] {seed}, new int[] {Math.max(0, tokens)}, null, Math.max(0, tokens));
  }

  /** A text given as is, of {@code tokens} tokens as its model's tokenizer counts them. */
  public static Prompt literal(String text, int tokens) {
    return new Prompt(new long[0], new int[0], text, tokens);
  }

  /** This prompt followed by a segment. */
  public Prompt then(long seed, int segmentTokens) {
    if (literal != null) {
      throw new IllegalStateException("a literal prompt cannot be extended");
    }
    long[] s = Arrays.copyOf(seeds, seeds.length + 1);
    int[] t = Arrays.copyOf(tokens, tokens.length + 1);
    s[seeds.length] = seed;
    t[tokens.length] = Math.max(0, segmentTokens);
    return new Prompt(s, t, null, totalTokens + Math.max(0, segmentTokens));
  }

  /** Tokens of the text (no beginning-of-text token): exact, the tokenizer's count. */
  public int tokens() {
    return Math.max(1, totalTokens);
  }

  public int segmentCount() {
    return literal != null ? 1 : seeds.length;
  }

  public long segmentSeed(int index) {
    return seeds[index];
  }

  public int segmentTokens(int index) {
    return tokens[index];
  }

  /** The text of a literal prompt, null for a seeded one. */
  public String literal() {
    return literal;
  }
}
