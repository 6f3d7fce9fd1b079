package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * Pool saturation as the average over endpoints of max(queue / queueDepthThreshold, kv /
 * kvCacheUtilThreshold), an endpoint with metrics older than {@code metricsStalenessThresholdMs}
 * counting 1.0; saturated at ≥ 1.0.
 */
public final class UtilizationDetector implements SaturationDetector {
  public static final String TYPE = "utilization-detector";

  public record Params(
      int queueDepthThreshold, double kvCacheUtilThreshold, long metricsStalenessThresholdMs) {
    public static final Params DEFAULTS = new Params(5, 0.8, 200);
  }

  public static final PluginFactory FACTORY =
      p -> {
        Params params =
            new Params(
                p.intValue(
                    "queueDepthThreshold", Params.DEFAULTS.queueDepthThreshold(), 1, 1_000_000),
                p.doubleValue(
                    "kvCacheUtilThreshold", Params.DEFAULTS.kvCacheUtilThreshold(), 0.01, 1.0),
                p.intValue(
                    "metricsStalenessThresholdMs",
                    (int) Params.DEFAULTS.metricsStalenessThresholdMs(),
                    1,
                    3_600_000));
        p.done();
        return new UtilizationDetector(p.plugin(), params);
      };

  private final TypedName typedName;
  private final Params params;

  public UtilizationDetector(TypedName typedName, Params params) {
    this.typedName = typedName;
    this.params = params;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public boolean isSaturated(List<EndpointState> endpoints, long nowMillis) {
    return utilization(endpoints, nowMillis) >= 1.0;
  }

  public double utilization(List<EndpointState> endpoints, long nowMillis) {
    if (endpoints.isEmpty()) {
      return 1.0;
    }
    double sum = 0;
    for (EndpointState e : endpoints) {
      MetricsSnapshot m = e.metrics();
      if (m == null || nowMillis - m.scrapedAtMillis() > params.metricsStalenessThresholdMs()) {
        sum += 1.0;
      } else {
        sum +=
            Math.max(
                (double) e.queueEstimate(nowMillis) / params.queueDepthThreshold(),
                m.kvCacheUsage() / params.kvCacheUtilThreshold());
      }
    }
    return sum / endpoints.size();
  }
}
