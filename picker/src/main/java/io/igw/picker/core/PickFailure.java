package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;

/**
 * An expected failure of a pick, carrying the status and the OpenAI error {@code type} and {@code
 * code} it is answered with. Each frontend turns it into its wire format in one place: the HTTP
 * pick API's {@code PickFailureResponse}, the ext_proc server's ImmediateResponse ({@code
 * ExtProcMessages.immediate}). No stack trace.
 */
public final class PickFailure extends RuntimeException {
  private static final String CLIENT_GONE = "client_disconnected";
  private final int status;
  private final String type;
  private final String code;

  /**
   * The answer's body when it is not the OpenAI error of type, code and message; null when it is.
   */
  private final Buffer body;

  /** Headers the answer carries besides its body ({@code retry-after}, {@code x-ratelimit-*}). */
  private final java.util.Map<String, String> headers;

  public PickFailure(int status, String type, String code, String message) {
    this(status, type, code, message, null, java.util.Map.of());
  }

  private PickFailure(int status, String type, String code, String message, Buffer body) {
    this(status, type, code, message, body, java.util.Map.of());
  }

  private PickFailure(
      int status,
      String type,
      String code,
      String message,
      Buffer body,
      java.util.Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.body = body;
    this.headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
  }

  /**
   * A token or request rate limit refused the request: 429 {@code rate_limit_exceeded} of OpenAI's
   * type {@code tokens} or {@code requests}, with {@code headers} ({@code retry-after}, {@code
   * x-ratelimit-*}) on the answer.
   */
  public static PickFailure rateLimited(
      String type, String message, java.util.Map<String, String> headers) {
    return new PickFailure(429, type, "rate_limit_exceeded", message, null, headers);
  }

  /** The shared rate-limit store cannot be reached and the policy says Deny. */
  public static PickFailure rateLimitUnavailable(String policy) {
    return new PickFailure(
        503,
        "service_unavailable",
        "rate_limit_unavailable",
        "the rate-limit store of policy " + policy + " cannot be reached; retry later",
        null,
        java.util.Map.of("retry-after", "1"));
  }

  /**
   * A foreign EPP's refusal whose body is already an OpenAI error: answered with its status and
   * that body.
   */
  public static PickFailure relayed(int status, Buffer openAiError) {
    return new PickFailure(
        status, "epp_error", "epp_error", "the endpoint picker refused the request", openAiError);
  }

  /**
   * The picker cannot answer (a foreign EPP unreachable, too slow, or answering nonsense): 502 with
   * an empty body, not an OpenAI error, so the gateway applies the pool's FailOpen / FailClose.
   */
  public static PickFailure unavailable(String message) {
    return new PickFailure(502, "server_error", "picker_unavailable", message, Buffer.buffer());
  }

  public static PickFailure badRequest(String message) {
    return new PickFailure(400, "invalid_request_error", "invalid_request_error", message);
  }

  /**
   * A body the gateway cannot route by: {@code code} {@code invalid_json}, {@code invalid_body}
   * (not a JSON object) or {@code invalid_model}.
   */
  public static PickFailure invalidBody(String code, String message) {
    return new PickFailure(400, "invalid_request_error", code, message);
  }

  /** A body sent with a content type that is not JSON: the model server would not read it so. */
  public static PickFailure unsupportedMediaType() {
    return new PickFailure(
        415,
        "invalid_request_error",
        "unsupported_media_type",
        "the request body must be sent as application/json");
  }

  public static PickFailure bodyTooLarge(long limit) {
    return new PickFailure(
        413,
        "invalid_request_error",
        "request_too_large",
        "request body is larger than " + limit + " bytes");
  }

  public static PickFailure overloaded(long budget) {
    return new PickFailure(
        503,
        "service_unavailable",
        "picker_overloaded",
        "the endpoint picker holds " + budget + " bytes of request bodies already; retry later");
  }

  public static PickFailure poolNotFound(String pool) {
    return new PickFailure(
        404, "invalid_request_error", "pool_not_found", "inference pool " + pool + " not found");
  }

  public static PickFailure modelNotFound(String model, Object pool) {
    return new PickFailure(
        404,
        "invalid_request_error",
        "model_not_found",
        "the model " + model + " is not served by inference pool " + pool);
  }

  public static PickFailure shed(Object pool) {
    return new PickFailure(
        429,
        "rate_limit_error",
        "rate_limit_exceeded",
        "inference pool " + pool + " is saturated; sheddable request refused");
  }

  public static PickFailure queueFull(Object pool, int priority) {
    return new PickFailure(
        429,
        "rate_limit_error",
        "rate_limit_exceeded",
        "inference pool "
            + pool
            + " is saturated and its flow-control queue for priority "
            + priority
            + " is full");
  }

  public static PickFailure queueTimeout(Object pool, long waitedMillis) {
    return new PickFailure(
        503,
        "service_unavailable",
        "queue_timeout",
        "inference pool "
            + pool
            + " stayed saturated; request evicted from the flow-control queue after "
            + waitedMillis
            + " ms");
  }

  /** Never sent: the client is gone; it ends the pick's future. */
  public static PickFailure clientGone(Object pool) {
    return new PickFailure(
        503,
        "service_unavailable",
        CLIENT_GONE,
        "the client went away while queued for inference pool " + pool);
  }

  public static PickFailure noReadyEndpoint(Object pool) {
    return new PickFailure(
        503,
        "service_unavailable",
        "service_unavailable",
        "no ready endpoint in inference pool " + pool);
  }

  public static PickFailure internal(String message) {
    return new PickFailure(500, "server_error", "internal_error", message);
  }

  /** {@code cause} itself when it is a pick failure, else (a bug) a 500. */
  public static PickFailure of(Throwable cause) {
    return cause instanceof PickFailure failure ? failure : internal("internal error");
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

  /** Headers for the answer besides content-type; empty for most failures. */
  public java.util.Map<String, String> headers() {
    return headers;
  }

  /** Whether the client went away before the answer (nothing is sent, nothing counted). */
  public boolean isClientGone() {
    return CLIENT_GONE.equals(code);
  }

  /**
   * Whether the answer is the picker's own OpenAI error, which the frontend logs where it answers
   * it; false for a foreign EPP's relayed refusal and for "unavailable", which the bridge logged.
   */
  public boolean isOwnError() {
    return body == null;
  }

  /**
   * The answer's body: the OpenAI error of {@link #type()}, {@link #code()} and the message, unless
   * relayed.
   */
  public Buffer body() {
    return body != null ? body : OpenAiError.body(this);
  }
}
