package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-turn chat over a few system prompts: {@code conversations} users are active at once, each
 * in one of {@code groups} system prompts; an arrival picks a user uniformly and sends the whole
 * conversation so far (system prompt, earlier questions and answers) plus a new question. After
 * {@code maxTurns} turns a user starts over. The answers' text is drawn, not the simulator's; only
 * its length and identity matter to a prefix cache. Arrivals stay open-loop Poisson so every policy
 * sees the same sequence (a real user would wait for the answer).
 */
public record MultiTurnWorkload(
    String name,
    String model,
    int groups,
    int conversations,
    int systemTokens,
    int questionMeanTokens,
    int questionSdTokens,
    int outputMeanTokens,
    int outputSdTokens,
    int maxTurns)
    implements Workload {

  /**
   * 6 system prompts of 1000 tokens, ~30-token questions, ~1000-token answers (the llm-d multi-turn
   * preset).
   */
  public static MultiTurnWorkload chat(String model) {
    return new MultiTurnWorkload("multi-turn", model, 6, 192, 1000, 30, 9, 1000, 300, 8);
  }

  /**
   * The llm-d "few system prompts, multi-turn, long" preset: 6 system prompts of 1000 tokens, ~3000
   * ± 900-token questions, ~1000 ± 300-token answers; 5 turns at most, so a conversation stays
   * within ~21k tokens.
   */
  public static MultiTurnWorkload longTurns(String model) {
    return new MultiTurnWorkload("multi-turn-long", model, 6, 192, 1000, 3000, 900, 1000, 300, 5);
  }

  private static final class Conversation {
    int group;
    int restarts;
    int turn;
    Prompt history;
  }

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 11));
    Conversation[] users = new Conversation[conversations];
    for (int u = 0; u < conversations; u++) {
      users[u] = new Conversation();
      users[u].group = u % groups;
    }
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int u = random.nextInt(conversations);
      Conversation c = users[u];
      if (c.history == null || c.turn >= maxTurns) {
        c.history = Prompt.segment(Seeds.derive(seed, 12, c.group), systemTokens);
        c.turn = 0;
        c.restarts++;
      }
      int question =
          normal(random, questionMeanTokens, questionSdTokens, 1, questionMeanTokens * 5 + 1);
      int answer = normal(random, outputMeanTokens, outputSdTokens, 16, outputMeanTokens * 4);
      Prompt prompt = c.history.then(Seeds.derive(seed, 13, u, c.restarts, c.turn), question);
      out.add(
          new WorkloadRequest(
              i, times[i], ladder.stepAt(times[i]), model, prompt, answer, null, 0, true));
      c.history = prompt.then(Seeds.derive(seed, 14, u, c.restarts, c.turn), answer);
      c.turn++;
    }
    return new RequestSequence(name, ladder, out);
  }

  static int normal(SplittableRandom random, int mean, int sd, int min, int max) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return (int) Math.max(min, Math.min(max, Math.round(mean + sd * z)));
  }
}
