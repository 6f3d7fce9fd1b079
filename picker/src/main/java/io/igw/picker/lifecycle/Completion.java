package io.igw.picker.lifecycle;

import java.util.List;

/**
 * One finished request as NGINX's access log reported it.
 *
 * @param endpoints every upstream address tried, in order; the last one served
 * @param requestTimeSeconds NGINX {@code $request_time}; negative when absent
 * @param headerTimeSeconds last {@code $upstream_header_time} (time to response headers); negative
 *     when absent
 */
public record Completion(
    String requestId,
    List<String> endpoints,
    int status,
    double requestTimeSeconds,
    double headerTimeSeconds) {
  public Completion {
    endpoints = List.copyOf(endpoints);
  }

  public String servedBy() {
    return endpoints.isEmpty() ? null : endpoints.get(endpoints.size() - 1);
  }
}
