package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Picker;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The highest scores first, ties broken at random; {@code maxNumOfEndpoints} long (default 1). */
public final class MaxScorePicker implements Picker {
  public static final String TYPE = "max-score-picker";
  public static final int DEFAULT_MAX_NUM_OF_ENDPOINTS = 1;

  public static final PluginFactory FACTORY =
      p -> {
        int max = p.intValue("maxNumOfEndpoints", DEFAULT_MAX_NUM_OF_ENDPOINTS, 1, 1000);
        p.done();
        return new MaxScorePicker(p.plugin(), max);
      };

  private final TypedName typedName;
  private final int maxNumOfEndpoints;

  public MaxScorePicker(TypedName typedName, int maxNumOfEndpoints) {
    this.typedName = typedName;
    this.maxNumOfEndpoints = maxNumOfEndpoints;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public List<EndpointState> pick(
      SchedulingContext context, List<EndpointState> candidates, double[] totalScores) {
    int n = candidates.size();
    int k = Math.min(maxNumOfEndpoints, n);
    List<EndpointState> out = new ArrayList<>(k);
    boolean[] taken = k > 1 ? new boolean[n] : null;
    for (int round = 0; round < k; round++) {
      int best = bestIndex(totalScores, taken, context.random());
      out.add(candidates.get(best));
      if (taken != null) {
        taken[best] = true;
      }
    }
    return out;
  }

  /**
   * The index of the highest score not yet taken; among equal scores each is equally likely
   * (reservoir).
   */
  static int bestIndex(double[] scores, boolean[] taken, RandomGenerator random) {
    int best = -1;
    int ties = 0;
    for (int i = 0; i < scores.length; i++) {
      if (taken != null && taken[i]) {
        continue;
      }
      if (best < 0 || scores[i] > scores[best]) {
        best = i;
        ties = 1;
      } else if (scores[i] == scores[best] && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return best;
  }
}
