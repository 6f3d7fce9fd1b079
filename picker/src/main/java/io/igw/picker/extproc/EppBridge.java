package io.igw.picker.extproc;

import io.igw.api.log.LogText;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.observability.PickerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The bridge: the pick service ({@link #forPool}) of each pool whose EPP is foreign ({@link
 * EppResolver}); a pick is forwarded over ext_proc. The EPP's answer becomes a {@link PickResult}
 * (endpoints, its request-header mutations, the rewritten body) or a {@link PickFailure} (its
 * ImmediateResponse's status and body), which the pick API answers as docs/pick-api.md says. The
 * pool's endpoints travel as the subset hint. An EPP that cannot answer is "unavailable" ({@code
 * 502} with an empty body, which NGINX treats as "picker unavailable": FailOpen / FailClose). The
 * stream stays open for the response phase: the response relay {@link #claim claims} it (relay
 * mode), or NGINX's completion record for the request arrives on the completion feed and its served
 * endpoint is reported to the EPP (report mode).
 */
public final class EppBridge implements CompletionFeed.Listener {
  private static final Logger LOG = Logger.getLogger(EppBridge.class.getName());

  /** A picked request whose stream waits for the relay or its completion record. */
  private record Open(EppExchange exchange, PoolName pool, Context context, long expiryTimer) {}

  private final Vertx vertx;
  private final EppResolver resolver;
  private final ExtProcOptions options;
  private final EppChannels channels;
  private final PickerMetrics metrics;
  private final Map<String, Open> awaitingCompletion = new ConcurrentHashMap<>();

  public EppBridge(
      Vertx vertx, EppResolver resolver, ExtProcOptions options, PickerMetrics metrics) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.options = options;
    this.metrics = metrics;
    this.channels = new EppChannels(vertx, options.getEppTrustPath());
  }

  /**
   * Loads Envoy's descriptors and creates the TLS clients on a worker (seconds, the first time in a
   * JVM), so the first bridged pick does not stall an event loop on class initialisation; then
   * opens a channel to each foreign EPP known now with a gRPC health check, without waiting for it,
   * so the first pick does not pay the TLS and HTTP/2 handshakes inside its deadline. An EPP that
   * does not answer is only logged: picks fail open or closed.
   */
  public Future<Void> warmUp() {
    return vertx
        .<Void>executeBlocking(
            () -> {
              ExtProcServer.loadDescriptors();
              for (EppTls tls : EppTls.values()) {
                channels.client(tls);
              }
              return null;
            },
            false)
        .onSuccess(v -> resolver.targets().forEach(this::connect));
  }

  private void connect(EppTarget target) {
    if (!io.igw.api.net.LoopbackOnly.allows(target.host(), target.port(), "ext_proc warm-up")) {
      return;
    }
    channels
        .client(target.tls())
        .request(
            io.vertx.core.net.SocketAddress.inetSocketAddress(target.port(), target.host()),
            HEALTH_CHECK)
        .compose(req -> req.send(io.vertx.grpc.health.v1.HealthCheckRequest.getDefaultInstance()))
        .compose(io.vertx.grpc.client.GrpcClientResponse::last)
        .timeout(options.getPickTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(
            ar ->
                LOG.info(
                    "event=bridge_warm_up epp="
                        + target
                        + " outcome="
                        + (ar.succeeded()
                            ? ar.result().getStatus().name()
                            : LogText.value(String.valueOf(ar.cause().getMessage())))));
  }

  private static final io.vertx.grpc.common.ServiceMethod<
          io.vertx.grpc.health.v1.HealthCheckResponse, io.vertx.grpc.health.v1.HealthCheckRequest>
      HEALTH_CHECK =
          io.vertx.grpc.common.ServiceMethod.client(
              io.vertx.grpc.common.ServiceName.create("grpc.health.v1.Health"),
              "Check",
              io.vertx.grpc.common.GrpcMessageEncoder.encoder(),
              io.vertx.grpc.common.GrpcMessageDecoder.decoder(
                  io.vertx.grpc.health.v1.HealthCheckResponse.newBuilder()));

  /**
   * The pick service of a pool whose EPP is foreign ({@link EppResolver}), or null when it is
   * picked in-process.
   */
  public PickService forPool(PoolName pool) {
    EppTarget target = resolver.target(pool);
    return target == null ? null : new BridgedPool(target);
  }

  /**
   * One pool's picks, forwarded to its EPP. Nothing to release: NGINX's completion record closes
   * the stream.
   */
  private final class BridgedPool implements PickService {
    private final EppTarget target;

    BridgedPool(EppTarget target) {
      this.target = target;
    }

    @Override
    public Future<PickResult> pick(PickRequest request) {
      return EppBridge.this.pick(request, target);
    }

    @Override
    public void release(PickRequest request) {}
  }

  private Future<PickResult> pick(PickRequest request, EppTarget target) {
    PoolName pool = request.pool();
    String requestId = request.requestId();
    EppExchange exchange = new EppExchange(vertx);
    EppExchange.Request forwarded =
        new EppExchange.Request(
            request.method(),
            request.path(),
            request.headers(),
            request.body().raw(),
            requestId,
            resolver.endpoints(pool));
    return exchange
        .pick(channels.client(target.tls()), target, forwarded, options.getPickTimeoutMs())
        .transform(
            ar ->
                ar.succeeded()
                    ? respond(exchange, pool, requestId, ar.result())
                    : unavailable(pool, target, requestId, ar.cause()));
  }

  private Future<PickResult> respond(
      EppExchange exchange, PoolName pool, String requestId, BridgeAnswer answer) {
    if (!answer.picked()) {
      exchange.cancel();
      return Future.failedFuture(refused(answer));
    }
    keepOpen(exchange, pool, requestId);
    return Future.succeededFuture(
        new PickResult(answer.endpoints(), null, answer.body(), answer.setHeaders(), List.of()));
  }

  /** The EPP's ImmediateResponse: its OpenAI error body as is, anything else wrapped in one. */
  private static PickFailure refused(BridgeAnswer answer) {
    if (isOpenAiError(answer.body())) {
      return PickFailure.relayed(answer.status(), answer.body());
    }
    String text =
        answer.body() == null || answer.body().length() == 0
            ? "the endpoint picker refused the request"
            : answer.body().toString();
    return switch (answer.status()) {
      case 400 -> PickFailure.badRequest(text);
      case 429 -> new PickFailure(429, "rate_limit_error", "rate_limit_exceeded", text);
      case 503 -> new PickFailure(503, "service_unavailable", "service_unavailable", text);
      default ->
          new PickFailure(
              answer.status() >= 400 && answer.status() < 600 ? answer.status() : 500,
              "server_error",
              "epp_error",
              text);
    };
  }

  private static boolean isOpenAiError(Buffer body) {
    try {
      return body != null
          && body.length() > 0
          && body.toJsonValue() instanceof JsonObject json
          && json.getValue("error") instanceof JsonObject;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static Future<PickResult> unavailable(
      PoolName pool, EppTarget target, String requestId, Throwable e) {
    LOG.warning(
        "event=bridge_pick_failed pool="
            + pool
            + " epp="
            + target
            + " request_id="
            + LogText.value(requestId)
            + " error="
            + LogText.value(e.getMessage()));
    return Future.failedFuture(PickFailure.unavailable(String.valueOf(e.getMessage())));
  }

  private void keepOpen(EppExchange exchange, PoolName pool, String requestId) {
    if (requestId == null || requestId.isEmpty()) {
      exchange.cancel();
      return;
    }
    long timer =
        vertx.setTimer(
            options.getResponsePhaseMs(),
            id -> {
              Open open = awaitingCompletion.remove(requestId);
              if (open != null) {
                LOG.fine(
                    "event=bridge_stream_expired reason=no_completion request_id="
                        + LogText.value(requestId));
                open.exchange().cancel();
              }
            });
    Open previous =
        awaitingCompletion.put(
            requestId, new Open(exchange, pool, vertx.getOrCreateContext(), timer));
    if (previous != null) {
      vertx.cancelTimer(previous.expiryTimer());
      previous.context().runOnContext(v -> previous.exchange().cancel());
    }
  }

  /**
   * The relay takes the request's stream for the response phase, so that its completion record
   * reports nothing; null when no stream of that pool waits for the request (the EPP ended it, it
   * expired, or it never was).
   */
  public EppResponsePhase claim(String requestId, PoolName pool) {
    Open open = requestId == null ? null : awaitingCompletion.remove(requestId);
    if (open == null) {
      return null;
    }
    vertx.cancelTimer(open.expiryTimer());
    EppResponsePhase phase =
        new EppResponsePhase(open.exchange(), open.context(), options.getServedReportTimeoutMs());
    if (!open.pool().equals(pool)) {
      LOG.warning(
          "event=bridge_stream_refused reason=other_pool request_id="
              + LogText.value(requestId)
              + " pool="
              + open.pool()
              + " relayed_for="
              + pool);
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
    open.context()
        .runOnContext(
            v -> {
              if (served == null) {
                open.exchange().cancel();
                return;
              }
              open.exchange()
                  .reportServed(served, completion.status(), options.getServedReportTimeoutMs())
                  .onSuccess(
                      mutation -> {
                        LOG.fine(
                            "event=bridge_served_reported request_id="
                                + LogText.value(completion.requestId())
                                + " served="
                                + served
                                + " response_mutations_not_applied="
                                + mutation.names());
                        if (!mutation.isEmpty()) {
                          metrics.recordBridgeResponsePhase(
                              PickerMetrics.RESPONSE_PHASE_NOT_APPLIED);
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
