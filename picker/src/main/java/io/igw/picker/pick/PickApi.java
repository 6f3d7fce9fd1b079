package io.igw.picker.pick;

import io.igw.api.log.LogText;
import io.igw.picker.core.JsonBodyLimits;
import io.igw.picker.core.OpenAiError;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.core.Director;
import io.igw.picker.flowcontrol.FlowControlGate;
import io.igw.picker.flowcontrol.PendingPick;
import io.igw.picker.observability.PickerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP pick API of docs/pick-api.md: {@code POST /pick}, {@code GET /health}, {@code GET /ready}. Every
 * failure of a route goes through {@link #handleFailure}, which answers with an OpenAI error body.
 */
public final class PickApi {
  public static final String PICK_PATH = "/pick";
  public static final String ENDPOINT_HEADER = "x-gateway-destination-endpoint";
  public static final String MODEL_HEADER = "x-igw-model";
  public static final String BODY_REWRITTEN_HEADER = "x-igw-body-rewritten";
  /**
   * NGINX's own {@code $request_id}, which in-flight accounting and the completion feed key on; never the client's
   * {@code x-request-id}, which any client can choose.
   */
  public static final String REQUEST_ID_HEADER = "x-igw-request-id";
  public static final String POOLS_PATH = "/debug/pools";
  private static final Logger LOG = Logger.getLogger(PickApi.class.getName());

  private static final String MODEL_KEY = "igw.model";

  private final Director director;
  private final Datastore datastore;
  private final PickerMetrics metrics;
  private final long maxBodyBytes;
  private final long inflightBodyBudget;
  private final java.util.concurrent.atomic.AtomicLong inflightBodyBytes = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.function.BooleanSupplier synced;
  private final io.vertx.core.Handler<RoutingContext> beforePick;
  /** Null when flow control is off. */
  private final FlowControlGate flowControl;

  /**
   * {@code synced}: whether the picker has its first complete view (informers synced, every endpoint scraped once:
   * {@link io.igw.picker.datastore.FirstCompleteView}); /ready answers 503 until.
   */
  public PickApi(Director director, Datastore datastore, PickerMetrics metrics, long maxBodyBytes,
      java.util.function.BooleanSupplier synced) {
    this(director, datastore, metrics, maxBodyBytes, synced, RoutingContext::next);
  }

  /** {@code beforePick} sees each pick first (the ext_proc bridge) and calls {@code next()} for in-process ones. */
  public PickApi(Director director, Datastore datastore, PickerMetrics metrics, long maxBodyBytes,
      java.util.function.BooleanSupplier synced, io.vertx.core.Handler<RoutingContext> beforePick) {
    this(director, datastore, metrics, maxBodyBytes, synced, beforePick, null);
  }

  /** {@code flowControl}: picks wait in its queues while their pool is saturated; null: off. */
  public PickApi(Director director, Datastore datastore, PickerMetrics metrics, long maxBodyBytes,
      java.util.function.BooleanSupplier synced, io.vertx.core.Handler<RoutingContext> beforePick,
      FlowControlGate flowControl) {
    this.flowControl = flowControl;
    this.director = director;
    this.datastore = datastore;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.inflightBodyBudget = Math.max(maxBodyBytes, inflightBodyBudget(Runtime.getRuntime().maxMemory()));
    this.synced = synced;
    this.beforePick = beforePick;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    // Its own route: Vert.x wants the body handler first on a route, and the budget comes before the body is read.
    router.post(PICK_PATH).handler(this::reserveBodyBytes);
    router.post(PICK_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(beforePick)
        .handler(this::handlePick)
        .failureHandler(this::handleFailure);
    router.get("/health").handler(this::handleHealth);
    router.get("/ready").handler(this::handleReady);
    router.get(POOLS_PATH).handler(this::handlePools);
    router.get("/metrics").handler(this::handleMetrics);
    return router;
  }

  /**
   * Bodies being received or picked hold heap: past the budget a pick is refused with 503 before its body is read
   * (NGINX's max_conns to the picker is the first bound; this one holds whoever calls).
   */
  private void reserveBodyBytes(RoutingContext rc) {
    String length = rc.request().getHeader("content-length");
    long declared;
    try {
      declared = length == null ? maxBodyBytes : Math.max(0, Math.min(maxBodyBytes, Long.parseLong(length.trim())));
    } catch (NumberFormatException e) {
      declared = maxBodyBytes;
    }
    if (declared == 0) {
      rc.next();
      return;
    }
    long reserved = declared;
    if (inflightBodyBytes.addAndGet(reserved) > inflightBodyBudget) {
      inflightBodyBytes.addAndGet(-reserved);
      LOG.warning(() -> "event=pick_refused reason=body_budget bytes=" + reserved + " budget=" + inflightBodyBudget);
      rc.fail(PickFailure.overloaded(inflightBodyBudget));
      return;
    }
    rc.addEndHandler(v -> inflightBodyBytes.addAndGet(-reserved));
    rc.next();
  }

  private void handlePick(RoutingContext rc) {
    PickRequest request = parse(rc);
    rc.put(MODEL_KEY, request.model());
    if (flowControl == null) {
      answer(rc, request, director.pick(request));
      return;
    }
    Buffer body = rc.body().buffer();
    PendingPick pending = flowControl.pick(request, body == null ? 0 : body.length());
    if (pending.isQueued()) {
      rc.response().closeHandler(v -> pending.clientGone());
    }
    pending.result().onComplete(ar -> {
      if (rc.response().closed()) {
        if (ar.succeeded()) {
          director.abandoned(request);
        }
        return;
      }
      if (ar.succeeded()) {
        answer(rc, request, ar.result());
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  private void answer(RoutingContext rc, PickRequest request, PickResult result) {
    metrics.recordPick(request.model(), result.targetModel());
    HttpServerResponse response = rc.response()
        .putHeader(ENDPOINT_HEADER, String.join(",", result.endpoints()));
    if (result.targetModel() != null) {
      response.putHeader(MODEL_HEADER, result.targetModel());
    }
    if (result.rewrittenBody() != null) {
      response.putHeader(BODY_REWRITTEN_HEADER, "true")
          .putHeader("content-type", "application/json")
          .end(result.rewrittenBody());
    } else {
      response.end();
    }
  }

  private PickRequest parse(RoutingContext rc) {
    String poolParam = rc.request().getParam("pool");
    if (poolParam == null) {
      throw PickFailure.badRequest("the pool query parameter is required");
    }
    PoolName pool = PoolName.parse(poolParam);
    if (pool == null) {
      throw PickFailure.badRequest("the pool query parameter must be namespace/name");
    }
    Buffer raw = rc.body().buffer();
    JsonObject body = raw == null || raw.length() == 0 ? null : parseBody(raw);
    String model = null;
    if (body != null) {
      Object value = body.getValue("model");
      if (value != null && !(value instanceof String)) {
        throw PickFailure.badRequest("model must be a string");
      }
      model = (String) value;
    }
    return new PickRequest(pool, rc.request().getParam("path"), rc.request().getParam("method"), model, body,
        rc.request().headers(), rc.request().getHeader(REQUEST_ID_HEADER));
  }

  static JsonObject parseBody(Buffer raw) {
    JsonBodyLimits.check(raw);
    Object value;
    try {
      value = raw.toJsonValue();
    } catch (DecodeException | IllegalStateException e) {
      throw PickFailure.badRequest("the request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw PickFailure.badRequest("the request body must be a JSON object");
    }
    return object;
  }

  /** A quarter of the heap for request bodies in flight: the parse and the pick need room of their own. */
  public static long inflightBodyBudget(long maxHeapBytes) {
    return maxHeapBytes / 4;
  }

  private void handleHealth(RoutingContext rc) {
    rc.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
  }

  private void handleReady(RoutingContext rc) {
    boolean ready = synced.getAsBoolean();
    List<io.igw.picker.datastore.EndpointState> endpoints = datastore.endpoints();
    int observed = io.igw.picker.datastore.FirstCompleteView.observed(endpoints);
    rc.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", ready ? "ready" : "syncing").put("pools", datastore.pools().size())
            .put("endpoints", endpoints.size()).put("endpointsObserved", observed).encode());
  }

  /** What the picker knows of each pool's endpoints (for operators and tests). */
  private void handlePools(RoutingContext rc) {
    long now = System.currentTimeMillis();
    io.vertx.core.json.JsonArray pools = new io.vertx.core.json.JsonArray();
    for (io.igw.picker.datastore.Pool pool : datastore.pools()) {
      io.vertx.core.json.JsonArray endpoints = new io.vertx.core.json.JsonArray();
      for (io.igw.picker.datastore.EndpointState e : pool.endpoints()) {
        JsonObject endpoint = new JsonObject().put("address", e.address()).put("pod", e.endpoint().podName())
            .put("pendingPicks", e.pendingPicks(now)).put("inFlight", e.inFlight()).put("observed", e.observed());
        if (e.metrics() != null) {
          var m = e.metrics();
          endpoint.put("metrics", new JsonObject().put("waiting", m.waiting()).put("running", m.running())
              .put("kvCacheUsage", m.kvCacheUsage()).put("runningAdapters", List.copyOf(m.runningAdapters()))
              .put("waitingAdapters", List.copyOf(m.waitingAdapters())).put("maxLoraSlots", m.maxLoraSlots())
              .put("blockSizeTokens", m.blockSizeTokens()).put("numCacheBlocks", m.numCacheBlocks())
              .put("scrapedAtMillis", m.scrapedAtMillis()).put("badLines", m.badLines()));
        }
        if (e.models() != null) {
          endpoint.put("models", new io.vertx.core.json.JsonArray(List.copyOf(e.models().ids())));
        }
        endpoints.add(endpoint);
      }
      pools.add(new JsonObject().put("pool", pool.name().toString()).put("endpoints", endpoints));
    }
    rc.response().putHeader("content-type", "application/json").end(new JsonObject().put("pools", pools).encode());
  }

  private void handleMetrics(RoutingContext rc) {
    rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }

  private void handleFailure(RoutingContext rc) {
    PickFailure failure = toPickFailure(rc);
    metrics.recordPickError(rc.get(MODEL_KEY), failure.code());
    if (failure.status() >= 500 && failure.status() != 503) {
      LOG.log(Level.SEVERE, "event=pick_failed status=" + failure.status() + " path=" + LogText.value(rc.request().path()),
          rc.failure());
    } else if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("event=pick_refused status=" + failure.status() + " code=" + failure.code()
          + " request_id=" + LogText.value(rc.request().getHeader(REQUEST_ID_HEADER)) + " message="
          + LogText.value(failure.getMessage()));
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    rc.response().setStatusCode(failure.status())
        .putHeader("content-type", "application/json")
        .end(OpenAiError.body(failure));
  }

  private PickFailure toPickFailure(RoutingContext rc) {
    Throwable cause = rc.failure();
    if (cause instanceof PickFailure pickFailure) {
      return pickFailure;
    }
    return switch (rc.statusCode()) {
      case 413 -> PickFailure.bodyTooLarge(maxBodyBytes);
      case 400 -> PickFailure.badRequest("bad request");
      default -> PickFailure.internal("internal error");
    };
  }
}
