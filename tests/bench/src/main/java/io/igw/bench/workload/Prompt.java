package io.igw.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A prompt as a chain of seeded text segments (a shared system prompt, a question, earlier turns), or a literal
 * text from a trace. Two prompts that start with the same segments start with the same text, which is what prefix
 * caches see. A token is 4 characters, as both the simulator and the picker count it.
 */
public final class Prompt {
  public static final int CHARS_PER_TOKEN = 4;
  private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyz".toCharArray();

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

  /** One segment of {@code tokens} tokens whose text is a function of {@code seed}. */
  public static Prompt segment(long seed, int tokens) {
    return new Prompt(new long[] {seed}, new int[] {tokens}, null, Math.max(0, tokens));
  }

  /** A text given as is; {@code tokens} ≤ 0 counts 4 characters a token. */
  public static Prompt literal(String text, int tokens) {
    int count = tokens > 0 ? tokens : Math.max(1, (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    return new Prompt(new long[0], new int[0], text, count);
  }

  /** This prompt followed by a segment. */
  public Prompt then(long seed, int segmentTokens) {
    if (literal != null) {
      throw new IllegalStateException("a literal prompt cannot be extended");
    }
    long[] s = Arrays.copyOf(seeds, seeds.length + 1);
    int[] t = Arrays.copyOf(tokens, tokens.length + 1);
    s[seeds.length] = seed;
    t[tokens.length] = segmentTokens;
    return new Prompt(s, t, null, totalTokens + Math.max(0, segmentTokens));
  }

  public int tokens() {
    return Math.max(1, totalTokens);
  }

  public int segmentCount() {
    return literal != null ? 1 : seeds.length;
  }

  /** The text, built now (not kept: a long prompt is tens of kilobytes). */
  public String text() {
    if (literal != null) {
      return literal;
    }
    StringBuilder out = new StringBuilder(totalTokens * CHARS_PER_TOKEN);
    for (int i = 0; i < seeds.length; i++) {
      appendSegment(out, seeds[i], tokens[i]);
    }
    return out.toString();
  }

  /** Words of three letters and a space: one token each, all lower case, nothing to escape in JSON. */
  private static void appendSegment(StringBuilder out, long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    long bits = 0;
    int left = 0;
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < CHARS_PER_TOKEN - 1; c++) {
        if (left == 0) {
          bits = random.nextLong();
          left = 12;
        }
        out.append(LETTERS[(int) Long.remainderUnsigned(bits & 0x1F, LETTERS.length)]);
        bits >>>= 5;
        left--;
      }
      out.append(' ');
    }
  }
}
