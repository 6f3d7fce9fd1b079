package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/** Says whether a pool is saturated: then sheddable requests are refused. */
public interface SaturationDetector extends Plugin {
  boolean isSaturated(List<EndpointState> endpoints, long nowMillis);
}
