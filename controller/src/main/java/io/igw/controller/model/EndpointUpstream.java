package io.igw.controller.model;

/**
 * A model server endpoint with its own keepalive upstream, so that {@code proxy_pass} to a picked
 * endpoint reuses connections instead of opening one per request.
 */
public record EndpointUpstream(String upstreamName, String address) {
  public static EndpointUpstream of(String address) {
    return new EndpointUpstream("igw_ep_" + address.replaceAll("[^0-9A-Za-z]", "_"), address);
  }
}
