package io.igw.picker.core;

import io.igw.picker.datastore.PoolName;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * One pick as NGINX asked for it.
 *
 * @param path    the client's original URI
 * @param model   the body's {@code model}, or null (bodyless or no model)
 * @param body    the parsed body, or null when bodyless
 * @param headers the client's request headers
 * @param subset  the endpoints ({@code ip:port}, or {@code ip} for every port) the pick is restricted to (the
 *                ext_proc subset hint), or null for no restriction
 */
public record PickRequest(PoolName pool, String path, String method, String model, JsonObject body, MultiMap headers,
    String requestId, java.util.Set<String> subset) {

  public PickRequest(PoolName pool, String path, String method, String model, JsonObject body, MultiMap headers,
      String requestId) {
    this(pool, path, method, model, body, headers, requestId, null);
  }
}
