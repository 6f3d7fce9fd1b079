package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/** 1 − KV-cache use. */
public final class KvCacheUtilizationScorer implements Scorer {
  public static final String TYPE = "kv-cache-utilization-scorer";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new KvCacheUtilizationScorer(p.plugin());
      };

  private final TypedName typedName;

  public KvCacheUtilizationScorer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      scores[i] = 1.0 - candidates.get(i).kvCacheUsage();
    }
  }
}
