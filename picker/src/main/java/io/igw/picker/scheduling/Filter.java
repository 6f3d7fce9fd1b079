package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/** Narrows the candidates; returns a subset (possibly the same list). */
public interface Filter extends Plugin {
  List<EndpointState> filter(SchedulingContext context, List<EndpointState> candidates);
}
