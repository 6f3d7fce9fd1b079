package io.igw.picker.core;

import io.igw.api.InferencePoolSpec;
import io.igw.picker.datastore.Pool;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * Streams report their tokens only when asked ({@code stream_options.include_usage}). For token
 * accounting the pick asks for them on a streamed completion or chat request that did not, and
 * tells NGINX to drop that one usage chunk again, so the client gets the bytes it would have got
 * without the gateway (docs/pick-api.md, "Token usage"). Only where NGINX said it can drop the
 * chunk ({@value #USAGE_FILTER_HEADER}: 1, set by the pick location, never by a client) and the
 * pool takes a rewritten body (not h2c).
 */
final class UsageRequest {
  /** Set by NGINX's pick location: {@code 1} when its usage body filter is rendered. */
  static final String USAGE_FILTER_HEADER = "x-igw-usage-filter";

  private UsageRequest() {}

  /**
   * Whether the request is a completion or chat stream that will not report its usage by itself;
   * read from the body's scan, so a pick builds no tree to answer it.
   */
  static boolean missing(OpenAiRequest.Api api, PickBody body) {
    return (api == OpenAiRequest.Api.COMPLETIONS || api == OpenAiRequest.Api.CHAT_COMPLETIONS)
        && body.streamWithoutUsage();
  }

  /** The same question of a body the scanner left to the tree path. */
  static boolean streamWithoutUsage(JsonObject body) {
    if (body == null || !Boolean.TRUE.equals(body.getValue("stream"))) {
      return false;
    }
    Object options = body.getValue("stream_options");
    if (options == null) {
      return true;
    }
    // anything but an object is the server's to refuse, as the client sent it
    return options instanceof JsonObject o && !Boolean.TRUE.equals(o.getValue("include_usage"));
  }

  /** Whether this data plane and pool can take the request with usage added. */
  static boolean canAdd(Pool pool, MultiMap headers) {
    InferencePoolSpec spec = pool.spec();
    return "1".equals(headers.get(USAGE_FILTER_HEADER))
        && (spec == null || !InferencePoolSpec.APP_PROTOCOL_H2C.equals(spec.appProtocol()));
  }

  /**
   * Asks for the usage chunk in {@code body} (a copy the caller owns), and for it alone: {@code
   * continuous_usage_stats}, which had no effect without include_usage, is turned off so the other
   * chunks stay as they were.
   */
  static void addTo(JsonObject body) {
    Object given = body.getValue("stream_options");
    JsonObject options = given instanceof JsonObject o ? o.copy() : new JsonObject();
    options.put("include_usage", true);
    if (options.containsKey("continuous_usage_stats")) {
      options.put("continuous_usage_stats", false);
    }
    body.put("stream_options", options);
  }
}
