package io.igw.picker.relay;

import io.igw.api.log.LogText;
import io.igw.api.net.LoopbackOnly;
import io.igw.picker.core.PickFailure;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.extproc.EppResponsePhase;
import io.igw.picker.extproc.ResponseHeaderMutation;
import io.igw.picker.observability.PickerMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * One relayed request, on its NGINX connection's event loop. The request goes to the first
 * endpoint; a connect error, reset or timeout before the response headers tries the next (no
 * response yet, so nothing is replayed), and when none is left the answer is {@code 502
 * upstream_failed} ({@code 504 upstream_timeout} after a timeout), as on the direct path. A status
 * the server answered is the response, whatever it is. The server's status and headers go to the
 * EPP (with the served endpoint), whose header mutation is applied when it answers within the
 * served-report timeout; a silent or broken EPP leaves the response unmodified. The body then
 * streams to NGINX with backpressure, each piece also to the EPP. NGINX gone: the upstream request
 * is reset; the server gone mid-body: NGINX's connection is reset, so its client's stream ends too
 * (gone before NGINX had the headers: {@code 502 upstream_failed}).
 */
final class RelayCall {
  private static final Logger LOG = Logger.getLogger(RelayCall.class.getName());
  private static final PickFailure UPSTREAM_FAILED =
      new PickFailure(
          502, "server_error", "upstream_failed", "the model server failed before answering");

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final RelayedRequest relayed;

  /** Kept for the next endpoint until a server answers, then let go. */
  private Buffer body;

  private final List<Endpoint> endpoints;
  private final HttpClientAgent client;

  /** Null: no ext_proc stream waits for this request. */
  private final EppResponsePhase phase;

  private final long connectTimeoutMs;
  private final PickerMetrics metrics;
  private final MultiMap forwarded;
  private HttpClientRequest upstream;

  /** NGINX closed the connection: nothing more is sent either way. */
  private boolean gone;

  /**
   * The server broke its response off: NGINX's connection is reset, so its client's stream ends
   * too.
   */
  private boolean broken;

  RelayCall(
      HttpServerRequest request,
      RelayedRequest relayed,
      Buffer body,
      List<Endpoint> endpoints,
      HttpClientAgent client,
      EppResponsePhase phase,
      long connectTimeoutMs,
      PickerMetrics metrics) {
    this.request = request;
    this.response = request.response();
    this.relayed = relayed;
    this.body = body;
    this.endpoints = List.copyOf(endpoints);
    this.client = client;
    this.phase = phase;
    this.connectTimeoutMs = connectTimeoutMs;
    this.metrics = metrics;
    this.forwarded = RelayHeaders.request(request.headers());
  }

  void start() {
    response.closeHandler(v -> nginxGone());
    send(0);
  }

  private void send(int index) {
    Endpoint target = endpoints.get(index);
    if (!LoopbackOnly.allows(target.ip(), target.port(), "response relay")) {
      failed(index, new IllegalStateException("refused outside loopback in a test run"));
      return;
    }
    HostAndPort authority =
        request.authority() != null
            ? request.authority()
            : HostAndPort.create(target.ip(), target.port());
    RequestOptions options =
        new RequestOptions()
            .setServer(SocketAddress.inetSocketAddress(target.port(), target.ip()))
            .setMethod(request.method())
            .setURI(request.uri())
            .setHeaders(forwarded)
            .setConnectTimeout(connectTimeoutMs)
            .setIdleTimeout(relayed.upstreamTimeoutMs());
    client
        .request(options)
        .compose(
            req -> {
              upstream = req;
              req.authority(authority);
              return req.send(body);
            })
        .onSuccess(answer -> answered(target, answer))
        .onFailure(e -> failed(index, e));
  }

  private void failed(int index, Throwable e) {
    if (gone) {
      return;
    }
    boolean timeout = e instanceof TimeoutException;
    String failedEndpoint = endpoints.get(index).address();
    if (index + 1 < endpoints.size()) {
      LOG.warning(
          "event=relay_endpoint_failed request_id="
              + LogText.value(relayed.requestId())
              + " endpoint="
              + failedEndpoint
              + " next="
              + endpoints.get(index + 1).address()
              + " error="
              + describe(e));
      send(index + 1);
      return;
    }
    LOG.warning(
        "event=relay_endpoint_failed request_id="
            + LogText.value(relayed.requestId())
            + " endpoint="
            + failedEndpoint
            + " next=none error="
            + describe(e));
    if (phase != null) {
      phase.cancel();
    }
    ResponseRelay.refuse(
        response,
        timeout
            ? new PickFailure(
                504, "server_error", "upstream_timeout", "the model server did not answer in time")
            : UPSTREAM_FAILED);
  }

  /** The server's response headers: ask the EPP, then answer NGINX. */
  private void answered(Endpoint served, HttpClientResponse answer) {
    if (gone) {
      return;
    }
    body = null;
    answer.pause();
    answer.exceptionHandler(e -> serverGone(served, e));
    MultiMap headers = RelayHeaders.response(answer.headers());
    Future<ResponseHeaderMutation> mutation =
        phase == null
            ? Future.failedFuture(new IllegalStateException("none"))
            : phase.headers(served.address(), answer.statusCode(), headers);
    mutation.onComplete(
        ar -> {
          String outcome = outcome(ar);
          metrics.recordBridgeResponsePhase(outcome);
          if (gone || broken) {
            return;
          }
          List<String> skipped =
              ar.succeeded() ? RelayHeaders.apply(ar.result(), headers) : List.of();
          LOG.fine(
              "event=relay_response request_id="
                  + LogText.value(relayed.requestId())
                  + " served="
                  + served.address()
                  + " status="
                  + answer.statusCode()
                  + " response_phase="
                  + outcome
                  + (ar.succeeded()
                      ? " mutated=" + ar.result().names()
                      : " error=" + describe(ar.cause())));
          if (!skipped.isEmpty()) {
            LOG.warning(
                "event=relay_mutation_skipped request_id="
                    + LogText.value(relayed.requestId())
                    + " headers="
                    + LogText.value(String.join(",", skipped))
                    + " reason=not_mutable");
          }
          forward(served, answer, headers);
        });
  }

  private String outcome(AsyncResult<ResponseHeaderMutation> ar) {
    if (phase == null) {
      return PickerMetrics.RESPONSE_PHASE_NO_STREAM;
    }
    if (ar.succeeded()) {
      return PickerMetrics.RESPONSE_PHASE_APPLIED;
    }
    return ar.cause() instanceof TimeoutException
        ? PickerMetrics.RESPONSE_PHASE_TIMEOUT
        : PickerMetrics.RESPONSE_PHASE_FAILED;
  }

  private void forward(Endpoint served, HttpClientResponse answer, MultiMap headers) {
    response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
    response.headers().addAll(headers);
    response.putHeader(RelayedRequest.SERVED_HEADER, served.address());
    if (!headers.contains("content-length") && mayHaveBody(answer.statusCode())) {
      response.setChunked(true);
    }
    answer.handler(
        piece -> {
          if (gone) {
            return;
          }
          response.write(piece);
          if (phase != null) {
            phase.body(piece);
          }
          if (response.writeQueueFull()) {
            answer.pause();
            response.drainHandler(v -> answer.resume());
          }
        });
    answer.endHandler(
        v -> {
          response.end();
          if (phase != null) {
            phase.end();
          }
        });
    answer.resume();
  }

  private boolean mayHaveBody(int status) {
    return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private void serverGone(Endpoint served, Throwable e) {
    if (gone || broken) {
      return;
    }
    broken = true;
    LOG.warning(
        "event=relay_upstream_gone request_id="
            + LogText.value(relayed.requestId())
            + " served="
            + served.address()
            + " error="
            + describe(e));
    if (phase != null) {
      phase.cancel();
    }
    if (response.headWritten()) {
      response.reset();
    } else {
      ResponseRelay.refuse(response, UPSTREAM_FAILED);
    }
  }

  private void nginxGone() {
    if (gone || response.ended()) {
      return;
    }
    gone = true;
    LOG.fine("event=relay_client_gone request_id=" + LogText.value(relayed.requestId()));
    if (upstream != null) {
      upstream.reset();
    }
    if (phase != null) {
      phase.cancel();
    }
  }

  private static String describe(Throwable e) {
    return LogText.value(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
