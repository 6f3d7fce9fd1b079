package io.igw.simulator.http;

import java.util.SplittableRandom;

/**
 * How many tokens a request generates and why it stops. With no natural length configured every
 * request runs to max_tokens ("length"); otherwise the model "emits EOS" after a length drawn from
 * an exponential distribution of that mean, unless ignore_eos or min_tokens hold it to a fixed
 * length.
 */
public record OutputLength(int tokens, String finishReason) {

  public static OutputLength of(
      InferenceRequest request, int defaultMaxTokens, int naturalMeanTokens, long seed) {
    int maxTokens = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
    maxTokens = Math.max(maxTokens, request.minTokens());
    if (naturalMeanTokens <= 0 || request.ignoreEos()) {
      return new OutputLength(maxTokens, "length");
    }
    double u = new SplittableRandom(seed).nextDouble();
    int natural = (int) Math.ceil(-naturalMeanTokens * Math.log(1 - u));
    int tokens = Math.max(Math.max(1, request.minTokens()), Math.min(natural, maxTokens));
    return new OutputLength(tokens, tokens < maxTokens ? "stop" : "length");
  }
}
