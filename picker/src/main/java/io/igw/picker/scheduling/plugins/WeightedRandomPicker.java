package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Picker;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws candidates with probability proportional to their total score, without replacement (A-Res:
 * key u^(1/score), highest keys first); {@code maxNumOfEndpoints} long (default 1). When every
 * score is 0 the draw is uniform.
 */
public final class WeightedRandomPicker implements Picker {
  public static final String TYPE = "weighted-random-picker";
  private static final double MIN_WEIGHT = 1e-9;

  public static final PluginFactory FACTORY =
      p -> {
        int max =
            p.intValue("maxNumOfEndpoints", MaxScorePicker.DEFAULT_MAX_NUM_OF_ENDPOINTS, 1, 1000);
        p.done();
        return new WeightedRandomPicker(p.plugin(), max);
      };

  private final TypedName typedName;
  private final int maxNumOfEndpoints;

  public WeightedRandomPicker(TypedName typedName, int maxNumOfEndpoints) {
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
    boolean allZero = true;
    for (double s : totalScores) {
      allZero &= s <= 0;
    }
    double[] keys = new double[n];
    for (int i = 0; i < n; i++) {
      double weight = allZero ? 1.0 : Math.max(totalScores[i], MIN_WEIGHT);
      keys[i] = Math.pow(context.random().nextDouble(), 1.0 / weight);
    }
    int k = Math.min(maxNumOfEndpoints, n);
    List<EndpointState> out = new ArrayList<>(k);
    boolean[] taken = new boolean[n];
    for (int round = 0; round < k; round++) {
      int best = MaxScorePicker.bestIndex(keys, taken, context.random());
      taken[best] = true;
      out.add(candidates.get(best));
    }
    return out;
  }
}
