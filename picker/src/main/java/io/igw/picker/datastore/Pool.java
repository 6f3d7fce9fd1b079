package io.igw.picker.datastore;

import io.igw.api.InferencePoolSpec;
import java.util.List;

/** A pool as the picker serves it: its spec and the live state of its endpoints. Immutable list. */
public record Pool(PoolName name, InferencePoolSpec spec, List<EndpointState> endpoints) {
  public Pool {
    endpoints = List.copyOf(endpoints);
  }
}
