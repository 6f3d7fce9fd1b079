package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Filter;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the candidates with the best LoRA affinity class (adapter loaded, else a free slot, else
 * waiting); with probability 1 − {@code threshold} (default 0.999) it keeps the free-slot class
 * instead, so adapters spread.
 */
public final class LoraAffinityFilter implements Filter {
  public static final String TYPE = "lora-affinity-filter";
  public static final double DEFAULT_THRESHOLD = 0.999;

  public static final PluginFactory FACTORY =
      p -> {
        double threshold = p.doubleValue("threshold", DEFAULT_THRESHOLD, 0, 1);
        p.done();
        return new LoraAffinityFilter(p.plugin(), threshold);
      };

  private final TypedName typedName;
  private final double threshold;

  public LoraAffinityFilter(TypedName typedName, double threshold) {
    this.typedName = typedName;
    this.threshold = threshold;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public List<EndpointState> filter(SchedulingContext context, List<EndpointState> candidates) {
    String model = context.request().targetModel();
    if (model == null) {
      return candidates;
    }
    List<EndpointState> loaded = new ArrayList<>();
    List<EndpointState> free = new ArrayList<>();
    for (EndpointState e : candidates) {
      double affinity = LoraAffinityScorer.score(e, model);
      if (affinity >= LoraAffinityScorer.RUNNING) {
        loaded.add(e);
      } else if (affinity >= LoraAffinityScorer.FREE_SLOT) {
        free.add(e);
      }
    }
    if (!loaded.isEmpty() && (free.isEmpty() || context.random().nextDouble() < threshold)) {
      return loaded;
    }
    return free.isEmpty() ? candidates : free;
  }
}
