package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Filter;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * Keeps the candidates whose queue is within [min, min + (max − min)/N] (the v0.3 "least queue"
 * filter).
 */
public final class LeastQueueFilter implements Filter {
  public static final String TYPE = "least-queue-filter";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new LeastQueueFilter(p.plugin());
      };

  private final TypedName typedName;

  public LeastQueueFilter(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public List<EndpointState> filter(SchedulingContext context, List<EndpointState> candidates) {
    double[] values = new double[candidates.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = candidates.get(i).queueEstimate(context.nowMillis());
    }
    return LeastValues.keep(candidates, values);
  }
}
