package io.igw.picker.scheduling;

import java.util.List;

/** A named pipeline: filters in order, weighted scorers, one picker. */
public record SchedulingProfile(
    String name, List<Filter> filters, List<WeightedScorer> scorers, Picker picker) {
  public SchedulingProfile {
    filters = List.copyOf(filters);
    scorers = List.copyOf(scorers);
  }
}
