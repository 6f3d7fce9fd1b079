package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many system prompts with short questions (the GIE/llm-d "b2b-saas" shape): {@code groups} system
 * prompts of {@code systemTokens}, each with {@code promptsPerGroup} questions of {@code
 * questionTokens}; every arrival picks one of the groups × prompts, so each prompt recurs and each
 * system prompt is shared. Groups are equally popular ({@code zipfExponent} 0, the published
 * b2b-saas) or Zipf-skewed: real tenants are not all the same size, and a hot one needs more than
 * one server.
 */
public record SharedPrefixWorkload(
    String name,
    String model,
    int groups,
    int promptsPerGroup,
    int systemTokens,
    int questionTokens,
    int outputTokens,
    double zipfExponent)
    implements Workload {

  public SharedPrefixWorkload(
      String name,
      String model,
      int groups,
      int promptsPerGroup,
      int systemTokens,
      int questionTokens,
      int outputTokens) {
    this(name, model, groups, promptsPerGroup, systemTokens, questionTokens, outputTokens, 0);
  }

  /** 150 × 5, 6000 + 1200 → 1000: the b2b-saas preset. */
  public static SharedPrefixWorkload b2bSaas(String model) {
    return new SharedPrefixWorkload("shared-prefix", model, 150, 5, 6000, 1200, 1000);
  }

  /**
   * 150 × 5, 1000 + 6200 → 1000: the "many system prompts, long questions" preset (most of each
   * prompt is its own question, so a prefix hit saves little).
   */
  public static SharedPrefixWorkload longQuestions(String model) {
    return new SharedPrefixWorkload("long-question", model, 150, 5, 1000, 6200, 1000);
  }

  /**
   * b2b-saas with Zipf(1) tenant popularity: the largest of the 150 tenants sends 18 % of the
   * traffic.
   */
  public static SharedPrefixWorkload skewedB2bSaas(String model) {
    return new SharedPrefixWorkload("hot-prefix", model, 150, 5, 6000, 1200, 1000, 1.0);
  }

  public SharedPrefixWorkload withOutputTokens(int tokens) {
    return new SharedPrefixWorkload(
        name, model, groups, promptsPerGroup, systemTokens, questionTokens, tokens, zipfExponent);
  }

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 1));
    ZipfPopularity popularity = new ZipfPopularity(groups, zipfExponent);
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int group = zipfExponent == 0 ? random.nextInt(groups) : popularity.rank(random.nextDouble());
      int prompt = random.nextInt(promptsPerGroup);
      Prompt text =
          Prompt.segment(Seeds.derive(seed, 2, group), systemTokens)
              .then(Seeds.derive(seed, 3, group, prompt), questionTokens);
      out.add(
          new WorkloadRequest(
              i, times[i], ladder.stepAt(times[i]), model, text, outputTokens, null, 0, true));
    }
    return new RequestSequence(name, ladder, out);
  }
}
