package io.igw.picker.pick;

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
 */
public record PickRequest(
    PoolName pool, String path, String method, String model, JsonObject body, MultiMap headers, String requestId) {}
