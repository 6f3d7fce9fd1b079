package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many system prompts with short questions (the GIE/llm-d "b2b-saas" shape): {@code groups} system prompts of
 * {@code systemTokens}, each with {@code promptsPerGroup} questions of {@code questionTokens}; every arrival picks
 * one of the groups × prompts uniformly, so each prompt recurs and each system prompt is shared.
 */
public record SharedPrefixWorkload(String name, String model, int groups, int promptsPerGroup, int systemTokens,
    int questionTokens, int outputTokens) implements Workload {

  /** 150 × 5, 6000 + 1200 → 1000: the b2b-saas preset. */
  public static SharedPrefixWorkload b2bSaas(String model) {
    return new SharedPrefixWorkload("shared-prefix", model, 150, 5, 6000, 1200, 1000);
  }

  public SharedPrefixWorkload withOutputTokens(int tokens) {
    return new SharedPrefixWorkload(name, model, groups, promptsPerGroup, systemTokens, questionTokens, tokens);
  }

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 1));
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int group = random.nextInt(groups);
      int prompt = random.nextInt(promptsPerGroup);
      Prompt text = Prompt.segment(Seeds.derive(seed, 2, group), systemTokens)
          .then(Seeds.derive(seed, 3, group, prompt), questionTokens);
      out.add(new WorkloadRequest(i, times[i], ladder.stepAt(times[i]), model, text, outputTokens, null, 0, true));
    }
    return new RequestSequence(name, ladder, out);
  }
}
