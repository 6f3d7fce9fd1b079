package io.igw.picker.core;

/**
 * An expected failure of a pick, carrying the HTTP status and the OpenAI error {@code type} and {@code code}
 * it is answered with. The one place failures become statuses: {@code PickApi}'s failure handler. No stack trace.
 */
public final class PickFailure extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;

  public PickFailure(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public static PickFailure badRequest(String message) {
    return new PickFailure(400, "invalid_request_error", "invalid_request_error", message);
  }

  public static PickFailure bodyTooLarge(long limit) {
    return new PickFailure(413, "invalid_request_error", "request_too_large",
        "request body is larger than " + limit + " bytes");
  }

  public static PickFailure overloaded(long budget) {
    return new PickFailure(503, "service_unavailable", "picker_overloaded",
        "the endpoint picker holds " + budget + " bytes of request bodies already; retry later");
  }

  public static PickFailure poolNotFound(String pool) {
    return new PickFailure(404, "invalid_request_error", "pool_not_found", "inference pool " + pool + " not found");
  }

  public static PickFailure modelNotFound(String model, Object pool) {
    return new PickFailure(404, "invalid_request_error", "model_not_found",
        "the model " + model + " is not served by inference pool " + pool);
  }

  public static PickFailure shed(Object pool) {
    return new PickFailure(429, "rate_limit_error", "rate_limit_exceeded",
        "inference pool " + pool + " is saturated; sheddable request refused");
  }

  public static PickFailure queueFull(Object pool, int priority) {
    return new PickFailure(429, "rate_limit_error", "rate_limit_exceeded",
        "inference pool " + pool + " is saturated and its flow-control queue for priority " + priority + " is full");
  }

  public static PickFailure queueTimeout(Object pool, long waitedMillis) {
    return new PickFailure(503, "service_unavailable", "queue_timeout",
        "inference pool " + pool + " stayed saturated; request evicted from the flow-control queue after "
            + waitedMillis + " ms");
  }

  /** Never sent: the client is gone; it ends the pick's future. */
  public static PickFailure clientGone(Object pool) {
    return new PickFailure(503, "service_unavailable", "client_disconnected",
        "the client went away while queued for inference pool " + pool);
  }

  public static PickFailure noReadyEndpoint(Object pool) {
    return new PickFailure(503, "service_unavailable", "service_unavailable",
        "no ready endpoint in inference pool " + pool);
  }

  public static PickFailure internal(String message) {
    return new PickFailure(500, "server_error", "internal_error", message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }
}
