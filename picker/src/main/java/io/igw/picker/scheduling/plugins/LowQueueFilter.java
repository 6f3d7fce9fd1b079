package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Filter;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the candidates whose queue is at most {@code threshold} (default 128); all of them when
 * none is.
 */
public final class LowQueueFilter implements Filter {
  public static final String TYPE = "low-queue-filter";
  public static final int DEFAULT_THRESHOLD = 128;

  public static final PluginFactory FACTORY =
      p -> {
        int threshold = p.intValue("threshold", DEFAULT_THRESHOLD, 0, 1_000_000);
        p.done();
        return new LowQueueFilter(p.plugin(), threshold);
      };

  private final TypedName typedName;
  private final int threshold;

  public LowQueueFilter(TypedName typedName, int threshold) {
    this.typedName = typedName;
    this.threshold = threshold;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public List<EndpointState> filter(SchedulingContext context, List<EndpointState> candidates) {
    List<EndpointState> out = new ArrayList<>(candidates.size());
    for (EndpointState e : candidates) {
      if (e.queueEstimate(context.nowMillis()) <= threshold) {
        out.add(e);
      }
    }
    return out.isEmpty() ? candidates : out;
  }
}
