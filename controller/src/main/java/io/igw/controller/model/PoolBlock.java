package io.igw.controller.model;

import java.util.List;

/**
 * An InferencePool as NGINX sees it: {@code id} names its upstreams, {@code name} is
 * "namespace/name" (what the picker is asked for), {@code endpoints} feed the FailOpen upstream;
 * {@code h2c} pools speak HTTP/2 cleartext to their servers (grpc_pass, the one NGINX 1.22 upstream
 * module that speaks HTTP/2); {@code relay}: a bridged pool whose requests go through the picker's
 * relay ({@link ResponsePhase}).
 */
public record PoolBlock(
    String id,
    String name,
    FailureMode failureMode,
    PickerMode picker,
    boolean h2c,
    boolean relay,
    List<EndpointUpstream> endpoints) {
  public PoolBlock {
    endpoints = List.copyOf(endpoints);
    if (relay && picker != PickerMode.BRIDGE) {
      throw new IllegalArgumentException("only a bridged pool goes through the relay: " + name);
    }
  }

  public boolean failOpen() {
    return failureMode == FailureMode.FAIL_OPEN;
  }

  public boolean hasEndpoints() {
    return !endpoints.isEmpty();
  }

  /**
   * FailOpen pools with known endpoints get a model-blind upstream for when the picker cannot
   * answer.
   */
  public boolean hasFallback() {
    return failOpen() && !endpoints.isEmpty();
  }
}
