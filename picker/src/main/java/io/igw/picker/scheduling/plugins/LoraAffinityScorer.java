package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * LoRA affinity: adapter running 1.0; a free slot (running + waiting adapters &lt; max_lora) 0.8;
 * adapter waiting 0.6; else 0. A request for a base model (or no model) scores 1.0 everywhere:
 * adapters do not concern it.
 */
public final class LoraAffinityScorer implements Scorer {
  public static final String TYPE = "lora-affinity-scorer";
  static final double RUNNING = 1.0;
  static final double FREE_SLOT = 0.8;
  static final double WAITING = 0.6;

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new LoraAffinityScorer(p.plugin());
      };

  private final TypedName typedName;

  public LoraAffinityScorer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    String model = context.request().targetModel();
    for (int i = 0; i < scores.length; i++) {
      scores[i] = model == null ? 1.0 : score(candidates.get(i), model);
    }
  }

  static double score(EndpointState endpoint, String model) {
    ServedModels served = endpoint.models();
    if (served != null && served.isBaseModel(model)) {
      return 1.0;
    }
    MetricsSnapshot m = endpoint.metrics();
    if (m == null) {
      return 0;
    }
    if (m.runningAdapters().contains(model)) {
      return RUNNING;
    }
    if (m.runningAdapters().size() + m.waitingAdapters().size() < m.maxLoraSlots()) {
      return FREE_SLOT;
    }
    return m.waitingAdapters().contains(model) ? WAITING : 0;
  }
}
