package io.igw.picker.extproc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * A bridged request's ext_proc stream, claimed by the response relay ({@link EppBridge#claim}): the
 * served endpoint with the server's status and headers, the EPP's header mutation back, then the
 * body and its end. The stream lives on the event loop that picked: each call hops there, in order,
 * and the answer comes back on the caller's context.
 */
public final class EppResponsePhase {
  private final EppExchange exchange;
  private final Context streamContext;
  private final long timeoutMs;

  EppResponsePhase(EppExchange exchange, Context streamContext, long timeoutMs) {
    this.exchange = exchange;
    this.streamContext = streamContext;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Sends the response headers; completes with the EPP's mutation, fails with a {@link
   * java.util.concurrent.TimeoutException} when it does not answer within the served-report
   * timeout, or with {@link EppUnavailable} when the stream is closed or breaks.
   */
  public Future<ResponseHeaderMutation> headers(String served, int status, MultiMap headers) {
    Context caller = Vertx.currentContext();
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    Promise<ResponseHeaderMutation> result = Promise.promise();
    streamContext.runOnContext(
        v ->
            exchange
                .responseHeaders(served, status, copy, false, timeoutMs)
                .onComplete(
                    ar -> {
                      if (caller == null) {
                        result.handle(ar);
                      } else {
                        caller.runOnContext(x -> result.handle(ar));
                      }
                    }));
    return result.future();
  }

  /** A piece of the body as it went to the client. */
  public void body(Buffer piece) {
    Buffer copy = piece.copy();
    streamContext.runOnContext(v -> exchange.responseBody(copy, false));
  }

  /** The body's end: the last message, then the stream closes. */
  public void end() {
    streamContext.runOnContext(v -> exchange.responseBody(Buffer.buffer(), true));
  }

  /** The response will not complete (client or server gone, no server answered). */
  public void cancel() {
    streamContext.runOnContext(v -> exchange.cancel());
  }
}
