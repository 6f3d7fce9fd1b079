package io.igw.picker.datastore;

import io.igw.api.InferencePoolSpec;
import java.util.List;

/** A pool and its endpoints as resolved from resources, before any live state is attached. */
public record PoolDefinition(PoolName name, InferencePoolSpec spec, List<Endpoint> endpoints) {
  public PoolDefinition {
    endpoints = List.copyOf(endpoints);
  }
}
