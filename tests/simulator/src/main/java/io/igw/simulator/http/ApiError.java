package io.igw.simulator.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure that becomes an HTTP status and vLLM's error body in one place, the router's failure
 * handler.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String type;

  public ApiError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequestError", message);
  }

  public static ApiError modelNotFound(String model) {
    return new ApiError(404, "NotFoundError", "The model `" + model + "` does not exist.");
  }

  /** An error the fault injector chose, with the type vLLM gives that status. */
  public static ApiError injected(int status) {
    String type =
        switch (status) {
          case 400 -> "BadRequestError";
          case 404 -> "NotFoundError";
          case 429 -> "RateLimitError";
          case 503 -> "ServiceUnavailableError";
          default -> status < 500 ? "BadRequestError" : "InternalServerError";
        };
    return new ApiError(status, type, "Injected fault: HTTP " + status + ".");
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "InternalServerError", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "ServiceUnavailableError", message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** vLLM's ErrorResponse: {"object":"error","message":…,"type":…,"param":null,"code":status}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("object", "error")
        .put("message", getMessage())
        .put("type", type)
        .putNull("param")
        .put("code", status);
  }
}
