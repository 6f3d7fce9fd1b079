package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/** Chooses from the scored candidates; returns them in order, best first (at least one). */
public interface Picker extends Plugin {
  List<EndpointState> pick(
      SchedulingContext context, List<EndpointState> candidates, double[] totalScores);
}
