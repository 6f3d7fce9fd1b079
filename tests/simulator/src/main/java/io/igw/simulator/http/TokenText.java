package io.igw.simulator.http;

import java.util.SplittableRandom;

/** The words a simulated response is made of: one word per token, reproducible from a seed. */
public final class TokenText {

  private static final String[] WORDS = {
    " the",
    " model",
    " serves",
    " tokens",
    " quickly",
    " and",
    " a",
    " gateway",
    " routes",
    " each",
    " request",
    " to",
    " the",
    " best",
    " server",
    " with",
    " warm",
    " cache",
    " for",
    " every",
    " prompt",
    " while",
    " queues",
    " stay",
    " short",
    " so",
    " latency",
    " is",
    " low",
    " today",
    ".",
    ","
  };

  private final SplittableRandom random;

  public TokenText(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public String next() {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
