package io.igw.picker.extproc;

import io.igw.api.log.LogText;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.observability.PickerMetrics;
import io.igw.picker.pick.PickApi;
import io.igw.picker.pick.PickFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The bridge: a {@code POST /pick} for a pool whose EPP is foreign ({@link EppResolver}) is forwarded over
 * ext_proc; others go on to the in-process director. The EPP's answer becomes the pick API's (docs/pick-api.md):
 * endpoints, {@code x-igw-set-<name>} for each request-header mutation, the rewritten body, or its
 * ImmediateResponse's status and body. The pool's endpoints travel as the subset hint. An EPP that cannot answer
 * gives {@code 502} with an empty body, which NGINX treats as "picker unavailable" (FailOpen / FailClose). The stream
 * stays open for the response phase: the response relay {@link #claim claims} it (relay mode), or NGINX's completion
 * record for the request arrives on the completion feed and its served endpoint is reported to the EPP (report mode).
 */
public final class EppBridge implements CompletionFeed.Listener {
  private static final Logger LOG = Logger.getLogger(EppBridge.class.getName());
  public static final String SET_HEADER_PREFIX = "x-igw-set-";

  /** A picked request whose stream waits for the relay or its completion record. */
  private record Open(EppExchange exchange, PoolName pool, Context context, long expiryTimer) {}

  private final Vertx vertx;
  private final EppResolver resolver;
  private final ExtProcOptions options;
  private final EppChannels channels;
  private final PickerMetrics metrics;
  private final Map<String, Open> awaitingCompletion = new ConcurrentHashMap<>();

  public EppBridge(Vertx vertx, EppResolver resolver, ExtProcOptions options, PickerMetrics metrics) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.options = options;
    this.metrics = metrics;
    this.channels = new EppChannels(vertx, options.getEppTrustPath());
  }

  /**
   * Loads Envoy's descriptors and creates the TLS clients on a worker (seconds, the first time in a JVM), so the
   * first bridged pick does not stall an event loop on class initialisation; then opens a channel to each foreign
   * EPP known now with a gRPC health check, without waiting for it, so the first pick does not pay the TLS and
   * HTTP/2 handshakes inside its deadline. An EPP that does not answer is only logged: picks fail open or closed.
   */
  public Future<Void> warmUp() {
    return vertx.<Void>executeBlocking(() -> {
      ExtProcServer.loadDescriptors();
      for (EppTls tls : EppTls.values()) {
        channels.client(tls);
      }
      return null;
    }, false).onSuccess(v -> resolver.targets().forEach(this::connect));
  }

  private void connect(EppTarget target) {
    if (!io.igw.api.net.LoopbackOnly.allows(target.host(), target.port(), "ext_proc warm-up")) {
      return;
    }
    channels.client(target.tls())
        .request(io.vertx.core.net.SocketAddress.inetSocketAddress(target.port(), target.host()), HEALTH_CHECK)
        .compose(req -> req.send(io.vertx.grpc.health.v1.HealthCheckRequest.getDefaultInstance()))
        .compose(io.vertx.grpc.client.GrpcClientResponse::last)
        .timeout(options.getPickTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> LOG.info("event=bridge_warm_up epp=" + target + " outcome=" + (ar.succeeded()
            ? ar.result().getStatus().name() : LogText.value(String.valueOf(ar.cause().getMessage())))));
  }

  private static final io.vertx.grpc.common.ServiceMethod<io.vertx.grpc.health.v1.HealthCheckResponse,
      io.vertx.grpc.health.v1.HealthCheckRequest> HEALTH_CHECK = io.vertx.grpc.common.ServiceMethod.client(
          io.vertx.grpc.common.ServiceName.create("grpc.health.v1.Health"), "Check",
          io.vertx.grpc.common.GrpcMessageEncoder.encoder(),
          io.vertx.grpc.common.GrpcMessageDecoder.decoder(io.vertx.grpc.health.v1.HealthCheckResponse.newBuilder()));

  /** Route handler placed before the in-process pick: forwards bridged pools, passes the others on. */
  public void handle(RoutingContext rc) {
    PoolName pool = PoolName.parse(rc.request().getParam("pool"));
    EppTarget target = pool == null ? null : resolver.target(pool);
    if (target == null) {
      rc.next();
      return;
    }
    String requestId = rc.request().getHeader(PickApi.REQUEST_ID_HEADER);
    EppExchange exchange = new EppExchange(vertx);
    EppExchange.Request request = new EppExchange.Request(rc.request().getParam("method"),
        rc.request().getParam("path"), rc.request().headers(), rc.body().buffer(), requestId,
        resolver.endpoints(pool));
    exchange.pick(channels.client(target.tls()), target, request, options.getPickTimeoutMs())
        .onSuccess(answer -> respond(rc, exchange, pool, requestId, answer))
        .onFailure(e -> unavailable(rc, pool, target, requestId, e));
  }

  private void respond(RoutingContext rc, EppExchange exchange, PoolName pool, String requestId,
      BridgeAnswer answer) {
    if (!answer.picked()) {
      exchange.cancel();
      refused(rc, answer);
      return;
    }
    keepOpen(exchange, pool, requestId);
    HttpServerResponse response = rc.response()
        .putHeader(PickApi.ENDPOINT_HEADER, String.join(",", answer.endpoints()));
    answer.setHeaders().forEach((name, value) -> response.putHeader(SET_HEADER_PREFIX + name, value));
    if (answer.body() != null) {
      response.putHeader(PickApi.BODY_REWRITTEN_HEADER, "true").putHeader("content-type", "application/json")
          .end(answer.body());
    } else {
      response.end();
    }
  }

  /** The EPP's ImmediateResponse: its OpenAI error body as is, anything else wrapped in one. */
  private static void refused(RoutingContext rc, BridgeAnswer answer) {
    if (isOpenAiError(answer.body())) {
      rc.response().setStatusCode(answer.status()).putHeader("content-type", "application/json").end(answer.body());
      return;
    }
    String text = answer.body() == null || answer.body().length() == 0 ? "the endpoint picker refused the request"
        : answer.body().toString();
    rc.fail(switch (answer.status()) {
      case 400 -> PickFailure.badRequest(text);
      case 429 -> new PickFailure(429, "rate_limit_error", "rate_limit_exceeded", text);
      case 503 -> new PickFailure(503, "service_unavailable", "service_unavailable", text);
      default -> new PickFailure(answer.status() >= 400 && answer.status() < 600 ? answer.status() : 500,
          "server_error", "epp_error", text);
    });
  }

  private static boolean isOpenAiError(Buffer body) {
    try {
      return body != null && body.length() > 0 && body.toJsonValue() instanceof JsonObject json
          && json.getValue("error") instanceof JsonObject;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static void unavailable(RoutingContext rc, PoolName pool, EppTarget target, String requestId, Throwable e) {
    LOG.warning("event=bridge_pick_failed pool=" + pool + " epp=" + target + " request_id=" + LogText.value(requestId)
        + " error=" + LogText.value(e.getMessage()));
    if (!rc.response().ended()) {
      rc.response().setStatusCode(502).end();
    }
  }

  private void keepOpen(EppExchange exchange, PoolName pool, String requestId) {
    if (requestId == null || requestId.isEmpty()) {
      exchange.cancel();
      return;
    }
    long timer = vertx.setTimer(options.getResponsePhaseMs(), id -> {
      Open open = awaitingCompletion.remove(requestId);
      if (open != null) {
        LOG.fine("event=bridge_stream_expired reason=no_completion request_id=" + LogText.value(requestId));
        open.exchange().cancel();
      }
    });
    Open previous = awaitingCompletion.put(requestId, new Open(exchange, pool, vertx.getOrCreateContext(), timer));
    if (previous != null) {
      vertx.cancelTimer(previous.expiryTimer());
      previous.context().runOnContext(v -> previous.exchange().cancel());
    }
  }

  /**
   * The relay takes the request's stream for the response phase, so that its completion record reports nothing;
   * null when no stream of that pool waits for the request (the EPP ended it, it expired, or it never was).
   */
  public EppResponsePhase claim(String requestId, PoolName pool) {
    Open open = requestId == null ? null : awaitingCompletion.remove(requestId);
    if (open == null) {
      return null;
    }
    vertx.cancelTimer(open.expiryTimer());
    EppResponsePhase phase = new EppResponsePhase(open.exchange(), open.context(),
        options.getServedReportTimeoutMs());
    if (!open.pool().equals(pool)) {
      LOG.warning("event=bridge_stream_refused reason=other_pool request_id=" + LogText.value(requestId)
          + " pool=" + open.pool() + " relayed_for=" + pool);
      phase.cancel();
      return null;
    }
    return phase;
  }

  /** NGINX's completion record: report the served endpoint to the EPP and close the stream. */
  @Override
  public void onCompletion(Completion completion, InFlightTracker.InFlight request) {
    Open open = awaitingCompletion.remove(completion.requestId());
    if (open == null) {
      return;
    }
    vertx.cancelTimer(open.expiryTimer());
    String served = completion.servedBy();
    open.context().runOnContext(v -> {
      if (served == null) {
        open.exchange().cancel();
        return;
      }
      open.exchange().reportServed(served, completion.status(), options.getServedReportTimeoutMs())
          .onSuccess(mutation -> {
            LOG.fine("event=bridge_served_reported request_id=" + LogText.value(completion.requestId()) + " served="
                + served + " response_mutations_not_applied=" + mutation.names());
            if (!mutation.isEmpty()) {
              metrics.recordBridgeResponsePhase(PickerMetrics.RESPONSE_PHASE_NOT_APPLIED);
            }
          });
    });
  }

  /** Requests whose stream waits for a completion record (tests, metrics). */
  public int open() {
    return awaitingCompletion.size();
  }

  public Future<Void> close() {
    awaitingCompletion.values().forEach(o -> o.context().runOnContext(v -> o.exchange().cancel()));
    awaitingCompletion.clear();
    return channels.close();
  }
}
