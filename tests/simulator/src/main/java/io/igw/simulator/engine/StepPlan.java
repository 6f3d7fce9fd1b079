package io.igw.simulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What one engine step computes: for each scheduled sequence, how many tokens; and how long it
 * takes.
 */
final class StepPlan {

  final List<Sequence> sequences = new ArrayList<>();
  final List<Integer> tokens = new ArrayList<>();
  int decodeSequences;
  int prefillTokens;
  long contextTokens;
  int loraLoads;
  double durationSeconds;

  void add(Sequence sequence, int newTokens) {
    sequences.add(sequence);
    tokens.add(newTokens);
    if (newTokens == 1
        && sequence.computedTokens + 1 == sequence.totalTokens()
        && sequence.generated > 0) {
      decodeSequences++;
    } else {
      prefillTokens += newTokens;
    }
    contextTokens += sequence.computedTokens + newTokens;
  }

  boolean isEmpty() {
    return sequences.isEmpty();
  }

  double computeDuration(EngineProfile profile) {
    double millis =
        profile.stepOverheadMillis()
            + profile.perSequenceMillis() * decodeSequences
            + profile.perContextKiloTokenMillis() * contextTokens / 1000.0
            + loraLoads * profile.loraLoadMillis();
    if (prefillTokens > 0) {
      millis += profile.prefillOverheadMillis() + profile.perPrefillTokenMillis() * prefillTokens;
    }
    durationSeconds = millis / 1000.0;
    return durationSeconds;
  }
}
