package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Independent chat requests with ShareGPT-like lengths: no shared prefix beyond a short system
 * prompt common to all, prompt and answer lengths drawn from log-normal distributions.
 *
 * <p>Source of the lengths: the vLLM paper (Kwon et al., "Efficient Memory Management for Large
 * Language Model Serving with PagedAttention", SOSP 2023, §6.1 and Fig. 11) gives ShareGPT's mean
 * input length as 161.31 tokens and mean output length as 337.99 tokens. The paper shows the
 * histograms but gives no spread; the log-normal shape and its σ (1.0 for prompts, 0.9 for answers)
 * are this workload's choice, with the means kept at the published ones. Lengths are clipped as
 * vLLM's {@code benchmark_serving} filters ShareGPT (at least 4 prompt tokens and 4 output tokens,
 * at most 1024 prompt tokens and 2048 prompt + output tokens). Nothing is downloaded: the lengths
 * are drawn here, the text is the seeded words every workload uses.
 */
public record ChatMixWorkload(
    String name,
    String model,
    int systemTokens,
    double promptMeanTokens,
    double promptSigma,
    double outputMeanTokens,
    double outputSigma)
    implements Workload {

  /** ShareGPT's published means (161 in, 338 out) and a 40-token system prompt. */
  public static ChatMixWorkload shareGptLike(String model) {
    return new ChatMixWorkload("chat-mix", model, 40, 161.31, 1.0, 337.99, 0.9);
  }

  static final int MIN_TOKENS = 4;
  static final int MAX_PROMPT_TOKENS = 1024;
  static final int MAX_TOTAL_TOKENS = 2048;

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 21));
    Prompt system = Prompt.segment(Seeds.derive(seed, 22), systemTokens);
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int prompt = clip(logNormal(random, promptMeanTokens, promptSigma), MAX_PROMPT_TOKENS);
      int output =
          clip(logNormal(random, outputMeanTokens, outputSigma), MAX_TOTAL_TOKENS - prompt);
      out.add(
          new WorkloadRequest(
              i,
              times[i],
              ladder.stepAt(times[i]),
              model,
              system.then(Seeds.derive(seed, 23, i), prompt),
              output,
              null,
              0,
              true));
    }
    return new RequestSequence(name, ladder, out);
  }

  private static int clip(double tokens, int max) {
    return (int) Math.max(MIN_TOKENS, Math.min(max, Math.round(tokens)));
  }

  /** A log-normal draw with mean {@code mean} and shape {@code sigma}. */
  static double logNormal(SplittableRandom random, double mean, double sigma) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    double mu = Math.log(mean) - sigma * sigma / 2;
    return Math.exp(mu + sigma * z);
  }
}
