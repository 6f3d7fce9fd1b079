package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Filter;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/** Keeps the candidates whose KV-cache use is within [min, min + (max − min)/N]. */
public final class LeastKvCacheFilter implements Filter {
  public static final String TYPE = "least-kv-cache-filter";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new LeastKvCacheFilter(p.plugin());
      };

  private final TypedName typedName;

  public LeastKvCacheFilter(TypedName typedName) {
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
      values[i] = candidates.get(i).kvCacheUsage();
    }
    return LeastValues.keep(candidates, values);
  }
}
