package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/** The endpoints one profile chose, best first; empty when its filters left none. */
public record ProfileResult(String profile, List<EndpointState> endpoints) {
  public ProfileResult {
    endpoints = List.copyOf(endpoints);
  }
}
