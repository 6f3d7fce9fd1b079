package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A successful pick.
 *
 * @param endpoints     {@code ip:port} in order: the pick first, then the fallbacks
 * @param targetModel   the model after any rewrite, or null when the request named none
 * @param rewrittenBody the body to send upstream instead of the client's, or null when unchanged
 */
public record PickResult(List<String> endpoints, String targetModel, Buffer rewrittenBody) {
  public PickResult {
    endpoints = List.copyOf(endpoints);
  }
}
