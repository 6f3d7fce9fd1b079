package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import java.util.ArrayList;
import java.util.List;

/** The "least" filters' shared rule (v0.3): keep what lies within [min, min + (max − min)/N]. */
final class LeastValues {
  private LeastValues() {}

  /** The candidates whose value is within [min, min + (max − min)/N]. */
  static List<EndpointState> keep(List<EndpointState> candidates, double[] values) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double limit = min + (max - min) / Math.max(1, values.length);
    List<EndpointState> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] <= limit) {
        out.add(candidates.get(i));
      }
    }
    return out;
  }
}
