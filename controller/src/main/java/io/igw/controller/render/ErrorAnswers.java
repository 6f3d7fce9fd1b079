package io.igw.controller.render;

import static io.igw.api.OpenAiErrorBody.INVALID_REQUEST_ERROR;
import static io.igw.api.OpenAiErrorBody.RATE_LIMIT_EXCEEDED;
import static io.igw.api.OpenAiErrorBody.SERVER_ERROR;

import io.igw.api.OpenAiErrorBody;

/**
 * The errors NGINX answers itself, without njs or the picker (a {@code return} in nginx.conf), each
 * with its OpenAI error body from {@link OpenAiErrorBody}. The template reads {@code status} and
 * {@code body} of each.
 */
public final class ErrorAnswers {
  private final long bodyLimitBytes;

  ErrorAnswers(long bodyLimitBytes) {
    this.bodyLimitBytes = bodyLimitBytes;
  }

  /** One answer: the status and the body as an nginx.conf string. */
  public record ErrorAnswer(int status, String body) {
    static ErrorAnswer of(int status, String type, String code, String message) {
      return new ErrorAnswer(
          status, NginxText.singleQuoted(OpenAiErrorBody.json(type, code, message)));
    }
  }

  public ErrorAnswer routeNotFound() {
    return ErrorAnswer.of(404, INVALID_REQUEST_ERROR, "route_not_found", "no route for this path");
  }

  /**
   * The grpc module cannot replace the request body: a rewritten model cannot reach h2c servers.
   */
  public ErrorAnswer rewriteUnsupported() {
    return ErrorAnswer.of(
        500,
        SERVER_ERROR,
        "rewrite_unsupported",
        "model rewrites are not supported for kubernetes.io/h2c pools");
  }

  public ErrorAnswer pickerUnavailableNoEndpoints() {
    return ErrorAnswer.of(
        503,
        SERVER_ERROR,
        "picker_unavailable",
        "the endpoint picker is unavailable and the pool has no known endpoints");
  }

  public ErrorAnswer relayUnavailable() {
    return ErrorAnswer.of(
        502,
        SERVER_ERROR,
        "relay_unavailable",
        "the response relay of the endpoint picker is unavailable");
  }

  public ErrorAnswer relayTimeout() {
    return ErrorAnswer.of(
        504, SERVER_ERROR, "upstream_timeout", "the model server did not answer in time");
  }

  /** The gateway's {@code /v1/models} answers GET only. */
  public ErrorAnswer modelsMethodNotAllowed() {
    return ErrorAnswer.of(
        405, INVALID_REQUEST_ERROR, "method_not_allowed", "the model list answers GET only");
  }

  /** The picker, which answers the gateway's {@code /v1/models}, could not be asked. */
  public ErrorAnswer modelsUnavailable() {
    return ErrorAnswer.of(
        503,
        SERVER_ERROR,
        "picker_unavailable",
        "the endpoint picker, which lists the models, is unavailable");
  }

  public ErrorAnswer tooManyConnections() {
    return ErrorAnswer.of(
        429,
        RATE_LIMIT_EXCEEDED,
        "too_many_connections",
        "too many requests in progress from this client address");
  }

  public ErrorAnswer badRequest() {
    return ErrorAnswer.of(
        400,
        INVALID_REQUEST_ERROR,
        "bad_request",
        "the request line or headers could not be parsed");
  }

  public ErrorAnswer uriTooLong() {
    return ErrorAnswer.of(
        414, INVALID_REQUEST_ERROR, "uri_too_long", "the request URI is too long");
  }

  public ErrorAnswer headersTooLarge() {
    return ErrorAnswer.of(
        431, INVALID_REQUEST_ERROR, "headers_too_large", "the request headers are too large");
  }

  public ErrorAnswer bodyTooLarge() {
    return ErrorAnswer.of(
        413,
        INVALID_REQUEST_ERROR,
        "body_too_large",
        "request body is larger than " + bodyLimitBytes + " bytes");
  }
}
