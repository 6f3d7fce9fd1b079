package io.igw.picker.core;

import io.igw.picker.datastore.PoolName;
import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * One pick as a gateway asked for it (NGINX through the HTTP pick API, or an Envoy-based gateway
 * over ext_proc).
 *
 * @param path the client's original URI
 * @param body the client's body, checked when the in-process pick reads it
 * @param headers the client's request headers
 * @param requestId what in-flight accounting keys on: NGINX's {@code $request_id}, or one per
 *     ext_proc stream; never a value the client chose
 * @param subset the endpoints ({@code ip:port}, or {@code ip} for every port) the pick is
 *     restricted to (the ext_proc subset hint), or null for no restriction
 */
public record PickRequest(
    PoolName pool,
    String path,
    String method,
    PickBody body,
    MultiMap headers,
    String requestId,
    Set<String> subset) {

  public PickRequest {
    body = body == null ? PickBody.none() : body;
  }

  /** The body's model, or null (bodyless, no model, or a body that fails its check). */
  public String model() {
    return body.model();
  }
}
