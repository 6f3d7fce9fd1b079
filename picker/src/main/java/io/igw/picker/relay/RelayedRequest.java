package io.igw.picker.relay;

import io.igw.picker.datastore.PoolName;
import io.igw.picker.pick.PickApi;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * What NGINX tells the relay about a request, in headers it sets itself with {@code
 * proxy_set_header} (a client's own value of these names never reaches the picker): NGINX's {@code
 * $request_id}, the pool, the endpoints njs let through (in order: the pick, then its fallbacks)
 * and its upstream timeout. {@link #read} is null when one is missing or malformed, which only a
 * broken config can cause.
 */
record RelayedRequest(
    String requestId, PoolName pool, List<String> endpoints, long upstreamTimeoutMs) {
  static final String REQUEST_ID_HEADER = PickApi.REQUEST_ID_HEADER;
  static final String POOL_HEADER = "x-igw-relay-pool";
  static final String ENDPOINTS_HEADER = "x-igw-relay-endpoints";
  static final String TIMEOUT_HEADER = "x-igw-relay-timeout-ms";

  /**
   * The relay's answer to NGINX: the endpoint that served, for the completion feed (NGINX hides
   * it).
   */
  static final String SERVED_HEADER = "x-igw-relay-served";

  /**
   * Every header of the relay's own, which neither a client nor a model server passes through it.
   */
  static final String INTERNAL_PREFIX = "x-igw-relay-";

  static final int MAX_ENDPOINTS = 16;
  static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;

  RelayedRequest {
    endpoints = List.copyOf(endpoints);
  }

  static RelayedRequest read(MultiMap headers, long defaultTimeoutMs) {
    String requestId = headers.get(REQUEST_ID_HEADER);
    PoolName pool = PoolName.parse(headers.get(POOL_HEADER));
    List<String> endpoints = endpoints(headers.get(ENDPOINTS_HEADER));
    long timeout = timeout(headers.get(TIMEOUT_HEADER), defaultTimeoutMs);
    if (requestId == null
        || requestId.isEmpty()
        || pool == null
        || endpoints.isEmpty()
        || timeout < 1) {
      return null;
    }
    return new RelayedRequest(requestId, pool, endpoints, timeout);
  }

  private static List<String> endpoints(String header) {
    List<String> out = new ArrayList<>();
    for (String token : header == null ? new String[0] : header.split(",")) {
      String endpoint = token.trim();
      if (!endpoint.isEmpty() && !out.contains(endpoint) && out.size() < MAX_ENDPOINTS) {
        out.add(endpoint);
      }
    }
    return out;
  }

  private static long timeout(String header, long defaultTimeoutMs) {
    if (header == null) {
      return defaultTimeoutMs;
    }
    try {
      long value = Long.parseLong(header.trim());
      return value > MAX_TIMEOUT_MS ? -1 : value;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
