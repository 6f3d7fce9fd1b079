package io.igw.picker.lifecycle;

import java.util.List;

/**
 * One finished request as NGINX's access log reported it.
 *
 * @param endpoints every upstream address tried, in order; the last one served
 * @param requestTimeSeconds NGINX {@code $request_time}; negative when absent
 * @param headerTimeSeconds last {@code $upstream_header_time} (time to response headers); negative
 *     when absent
 * @param usage the answer's tokens as the data plane read them, or null when it read none (no usage
 *     in the answer, an error status, or an NGINX config without usage fields)
 */
public record Completion(
    String requestId,
    List<String> endpoints,
    int status,
    double requestTimeSeconds,
    double headerTimeSeconds,
    TokenUsage usage) {
  public Completion {
    endpoints = List.copyOf(endpoints);
  }

  public Completion(
      String requestId,
      List<String> endpoints,
      int status,
      double requestTimeSeconds,
      double headerTimeSeconds) {
    this(requestId, endpoints, status, requestTimeSeconds, headerTimeSeconds, null);
  }

  public String servedBy() {
    return endpoints.isEmpty() ? null : endpoints.get(endpoints.size() - 1);
  }
}
