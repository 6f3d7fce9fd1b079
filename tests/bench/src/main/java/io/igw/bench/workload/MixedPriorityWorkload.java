package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Critical interactive chat mixed with sheddable batch summarisation, driven past saturation. A
 * {@code criticalShare} of arrivals are chat (objective {@code criticalObjective}, priority 0): one
 * of a few system prompts plus a short question, a short answer. The rest are summaries (objective
 * {@code sheddableObjective}, priority -1): a long unique document, a longer answer. Under overload
 * the picker refuses the sheddable ones (429) so chat keeps its latency; a model-blind balancer
 * cannot.
 */
public record MixedPriorityWorkload(
    String name,
    String model,
    double criticalShare,
    String criticalObjective,
    String sheddableObjective,
    int chatSystemTokens,
    int chatQuestionTokens,
    int chatOutputTokens,
    int documentTokens,
    int summaryTokens)
    implements Workload {

  public static final int CHAT_GROUPS = 4;

  public static MixedPriorityWorkload chatAndBatch(String model) {
    return new MixedPriorityWorkload(
        "mixed-priority", model, 0.5, "critical-chat", "batch-summary", 1000, 100, 200, 3000, 400);
  }

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 31));
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int step = ladder.stepAt(times[i]);
      if (random.nextDouble() < criticalShare) {
        Prompt prompt =
            Prompt.segment(Seeds.derive(seed, 32, random.nextInt(CHAT_GROUPS)), chatSystemTokens)
                .then(Seeds.derive(seed, 33, i), chatQuestionTokens);
        out.add(
            new WorkloadRequest(
                i, times[i], step, model, prompt, chatOutputTokens, criticalObjective, 0, true));
      } else {
        Prompt prompt = Prompt.segment(Seeds.derive(seed, 34, i), documentTokens);
        out.add(
            new WorkloadRequest(
                i, times[i], step, model, prompt, summaryTokens, sheddableObjective, -1, true));
      }
    }
    return new RequestSequence(name, ladder, out);
  }
}
