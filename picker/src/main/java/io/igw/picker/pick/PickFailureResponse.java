package io.igw.picker.pick;

import io.igw.api.log.LogText;
import io.igw.picker.core.PickFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place a {@link PickFailure} becomes the pick API's answer: its status with its body, an
 * OpenAI error ({@code application/json}) or, for "unavailable", nothing (NGINX's njs then applies
 * FailOpen / FailClose). The picker's own errors are logged here: unexpected ones (5xx but 503)
 * with their cause, refusals at debug level.
 */
final class PickFailureResponse {
  /** The pick API's logger: its level decides whether refusals are logged. */
  private static final Logger LOG = Logger.getLogger(PickApi.class.getName());

  private PickFailureResponse() {}

  /**
   * {@code cause}: what failed, for the log of an unexpected error (the failure itself when
   * expected).
   */
  static void send(RoutingContext rc, PickFailure failure, Throwable cause) {
    if (failure.isOwnError()) {
      log(rc, failure, cause);
    }
    HttpServerResponse response = rc.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Buffer body = failure.body();
    response.setStatusCode(failure.status());
    failure.headers().forEach(response::putHeader);
    if (body.length() == 0) {
      response.end();
    } else {
      response.putHeader("content-type", "application/json").end(body);
    }
  }

  private static void log(RoutingContext rc, PickFailure failure, Throwable cause) {
    if (failure.status() >= 500 && failure.status() != 503) {
      LOG.log(
          Level.SEVERE,
          "event=pick_failed status="
              + failure.status()
              + " path="
              + LogText.value(rc.request().path()),
          cause);
    } else if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          "event=pick_refused status="
              + failure.status()
              + " code="
              + failure.code()
              + " request_id="
              + LogText.value(rc.request().getHeader(PickApi.REQUEST_ID_HEADER))
              + " message="
              + LogText.value(failure.getMessage()));
    }
  }
}
