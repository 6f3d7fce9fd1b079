package io.igw.controller.model;

import java.util.List;

/**
 * An InferencePool as NGINX sees it: {@code id} names its locations and upstreams, {@code name} is
 * "namespace/name" (what the picker is asked for), {@code endpoints} feed the FailOpen upstream.
 */
public record PoolBlock(String id, String name, boolean failOpen, List<EndpointUpstream> endpoints) {
  public PoolBlock {
    endpoints = List.copyOf(endpoints);
  }

  public String failureMode() {
    return failOpen ? "FailOpen" : "FailClose";
  }

  public boolean hasEndpoints() {
    return !endpoints.isEmpty();
  }
}
