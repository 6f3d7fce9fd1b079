package io.igw.picker.pick;

import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.observability.PickerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.logging.Logger;

/**
 * The HTTP pick API of docs/pick-api.md: {@code POST /pick}, {@code GET /health}, {@code GET
 * /ready}. A thin adapter: a pick's query parameters, headers and body become a {@link PickRequest}
 * for the {@link PickService}, its result the answer headers; every failure is answered by {@link
 * PickFailureResponse}.
 */
public final class PickApi {
  public static final String PICK_PATH = "/pick";
  public static final String ENDPOINT_HEADER = "x-gateway-destination-endpoint";
  public static final String MODEL_HEADER = "x-igw-model";
  public static final String BODY_REWRITTEN_HEADER = "x-igw-body-rewritten";

  /**
   * {@code 1}: the rewritten body added {@code stream_options.include_usage}; NGINX drops that
   * usage chunk before the client.
   */
  public static final String STRIP_USAGE_HEADER = "x-igw-strip-usage";

  /**
   * Prefix of the answer headers carrying a foreign EPP's request-header mutations: {@code
   * x-igw-set-<name>}.
   */
  public static final String SET_HEADER_PREFIX = "x-igw-set-";

  /**
   * NGINX's own {@code $request_id}, which in-flight accounting and the completion feed key on;
   * never the client's {@code x-request-id}, which any client can choose.
   */
  public static final String REQUEST_ID_HEADER = "x-igw-request-id";

  public static final String POOLS_PATH = "/debug/pools";
  private static final Logger LOG = Logger.getLogger(PickApi.class.getName());

  private final PickService picks;
  private final Datastore datastore;
  private final PickerMetrics metrics;
  private final long maxBodyBytes;
  private final long inflightBodyBudget;
  private final java.util.concurrent.atomic.AtomicLong inflightBodyBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.function.BooleanSupplier synced;

  /**
   * {@code synced}: whether the picker has its first complete view (informers synced, every
   * endpoint scraped once: {@link io.igw.picker.datastore.FirstCompleteView}); /ready answers 503
   * until. {@code metrics}: {@code /metrics}, and the refusals before a pick (body budget and size,
   * pool parameter). Of {@code options}, the body limit.
   */
  public PickApi(
      PickService picks,
      Datastore datastore,
      PickerMetrics metrics,
      java.util.function.BooleanSupplier synced,
      PickApiOptions options) {
    this.picks = picks;
    this.datastore = datastore;
    this.metrics = metrics;
    this.maxBodyBytes = options.getMaxBodyBytes();
    this.inflightBodyBudget =
        Math.max(maxBodyBytes, inflightBodyBudget(Runtime.getRuntime().maxMemory()));
    this.synced = synced;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    // the budget comes before the body is read
    router
        .post(PICK_PATH)
        .handler(this::reserveBodyBytes)
        .handler(new PickBodyReceiver(maxBodyBytes))
        .handler(this::handlePick)
        .failureHandler(this::handleFailure);
    router.get("/health").handler(this::handleHealth);
    router.get("/ready").handler(this::handleReady);
    router.get(POOLS_PATH).handler(this::handlePools);
    router.get("/metrics").handler(this::handleMetrics);
    return router;
  }

  /**
   * Bodies being received or picked hold heap: past the budget a pick is refused with 503 before
   * its body is read (NGINX's max_conns to the picker is the first bound; this one holds whoever
   * calls).
   */
  private void reserveBodyBytes(RoutingContext rc) {
    String length = rc.request().getHeader("content-length");
    long declared;
    try {
      declared =
          length == null
              ? maxBodyBytes
              : Math.max(0, Math.min(maxBodyBytes, Long.parseLong(length.trim())));
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
      LOG.warning(
          () ->
              "event=pick_refused reason=body_budget bytes="
                  + reserved
                  + " budget="
                  + inflightBodyBudget);
      rc.fail(PickFailure.overloaded(inflightBodyBudget));
      return;
    }
    rc.addEndHandler(v -> inflightBodyBytes.addAndGet(-reserved));
    rc.next();
  }

  /**
   * A pick whose client goes away while it waits is released (it leaves the flow-control queue);
   * one answered after its client left is released too (its in-flight accounting ends).
   */
  private void handlePick(RoutingContext rc) {
    PickRequest request = request(rc);
    Future<PickResult> result = picks.pick(request);
    if (!result.isComplete()) {
      rc.response()
          .closeHandler(
              v -> {
                if (!result.isComplete()) {
                  picks.release(request);
                }
              });
    }
    result.onComplete(
        ar -> {
          if (rc.response().closed()) {
            if (ar.succeeded()) {
              picks.release(request);
            }
            return;
          }
          if (ar.succeeded()) {
            answer(rc.response(), ar.result());
          } else {
            PickFailureResponse.send(rc, PickFailure.of(ar.cause()), ar.cause());
          }
        });
  }

  private static void answer(HttpServerResponse response, PickResult result) {
    response.putHeader(ENDPOINT_HEADER, String.join(",", result.endpoints()));
    if (result.targetModel() != null) {
      response.putHeader(MODEL_HEADER, result.targetModel());
    }
    result
        .upstreamHeaders()
        .forEach((name, value) -> response.putHeader(SET_HEADER_PREFIX + name, value));
    if (result.usageChunkAdded()) {
      response.putHeader(STRIP_USAGE_HEADER, "1");
    }
    result.clientHeaders().forEach(response::putHeader);
    if (result.rewrittenBody() != null) {
      response
          .putHeader(BODY_REWRITTEN_HEADER, "true")
          .putHeader("content-type", "application/json")
          .end(result.rewrittenBody());
    } else {
      response.end();
    }
  }

  private static PickRequest request(RoutingContext rc) {
    String poolParam = rc.request().getParam("pool");
    if (poolParam == null) {
      throw PickFailure.badRequest("the pool query parameter is required");
    }
    PoolName pool = PoolName.parse(poolParam);
    if (pool == null) {
      throw PickFailure.badRequest("the pool query parameter must be namespace/name");
    }
    return new PickRequest(
        pool,
        rc.request().getParam("path"),
        rc.request().getParam("method"),
        PickBody.of(PickBodyReceiver.body(rc), rc.request().getHeader("content-type")),
        rc.request().headers(),
        rc.request().getHeader(REQUEST_ID_HEADER),
        null);
  }

  /**
   * A quarter of the heap for request bodies in flight: the parse and the pick need room of their
   * own.
   */
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
    rc.response()
        .setStatusCode(ready ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("status", ready ? "ready" : "syncing")
                .put("pools", datastore.pools().size())
                .put("endpoints", endpoints.size())
                .put("endpointsObserved", observed)
                .encode());
  }

  /** What the picker knows of each pool's endpoints (for operators and tests). */
  private void handlePools(RoutingContext rc) {
    long now = System.currentTimeMillis();
    io.vertx.core.json.JsonArray pools = new io.vertx.core.json.JsonArray();
    for (io.igw.picker.datastore.Pool pool : datastore.pools()) {
      io.vertx.core.json.JsonArray endpoints = new io.vertx.core.json.JsonArray();
      for (io.igw.picker.datastore.EndpointState e : pool.endpoints()) {
        JsonObject endpoint =
            new JsonObject()
                .put("address", e.address())
                .put("pod", e.endpoint().podName())
                .put("pendingPicks", e.pendingPicks(now))
                .put("inFlight", e.inFlight())
                .put("observed", e.observed());
        if (e.metrics() != null) {
          var m = e.metrics();
          endpoint.put(
              "metrics",
              new JsonObject()
                  .put("waiting", m.waiting())
                  .put("running", m.running())
                  .put("kvCacheUsage", m.kvCacheUsage())
                  .put("runningAdapters", List.copyOf(m.runningAdapters()))
                  .put("waitingAdapters", List.copyOf(m.waitingAdapters()))
                  .put("maxLoraSlots", m.maxLoraSlots())
                  .put("blockSizeTokens", m.blockSizeTokens())
                  .put("numCacheBlocks", m.numCacheBlocks())
                  .put("scrapedAtMillis", m.scrapedAtMillis())
                  .put("badLines", m.badLines()));
        }
        if (e.models() != null) {
          endpoint.put("models", new io.vertx.core.json.JsonArray(List.copyOf(e.models().ids())));
        }
        endpoints.add(endpoint);
      }
      pools.add(new JsonObject().put("pool", pool.name().toString()).put("endpoints", endpoints));
    }
    rc.response()
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("pools", pools).encode());
  }

  private void handleMetrics(RoutingContext rc) {
    rc.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  /** Refusals before the pick service: the body budget, the body's size, the pool parameter. */
  private void handleFailure(RoutingContext rc) {
    PickFailure failure =
        rc.failure() instanceof PickFailure f
            ? f
            : switch (rc.statusCode()) {
              case 413 -> PickFailure.bodyTooLarge(maxBodyBytes);
              case 400 -> PickFailure.badRequest("bad request");
              default -> PickFailure.internal("internal error");
            };
    metrics.refused(null, failure);
    PickFailureResponse.send(rc, failure, rc.failure());
  }
}
