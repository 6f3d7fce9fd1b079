package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/**
 * Scores each candidate in [0,1] into {@code scores} (same index as {@code candidates}, zeroed by
 * the caller). The framework clamps and applies the weight.
 */
public interface Scorer extends Plugin {
  void score(SchedulingContext context, List<EndpointState> candidates, double[] scores);
}
