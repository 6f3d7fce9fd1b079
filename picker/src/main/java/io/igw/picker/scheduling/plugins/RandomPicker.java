package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Picker;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.ArrayList;
import java.util.List;

/** Candidates in random order, scores ignored; {@code maxNumOfEndpoints} long (default 1). */
public final class RandomPicker implements Picker {
  public static final String TYPE = "random-picker";

  public static final PluginFactory FACTORY =
      p -> {
        int max =
            p.intValue("maxNumOfEndpoints", MaxScorePicker.DEFAULT_MAX_NUM_OF_ENDPOINTS, 1, 1000);
        p.done();
        return new RandomPicker(p.plugin(), max);
      };

  private final TypedName typedName;
  private final int maxNumOfEndpoints;

  public RandomPicker(TypedName typedName, int maxNumOfEndpoints) {
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
    List<EndpointState> shuffled = new ArrayList<>(candidates);
    int k = Math.min(maxNumOfEndpoints, shuffled.size());
    for (int i = 0; i < k; i++) {
      int j = i + context.random().nextInt(shuffled.size() - i);
      EndpointState swap = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, swap);
    }
    return shuffled.subList(0, k);
  }
}
