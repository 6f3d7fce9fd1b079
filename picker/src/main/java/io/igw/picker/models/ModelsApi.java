package io.igw.picker.models;

import io.igw.api.OpenAiErrorBody;
import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.PoolName;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's {@code /v1/models} on the pick API (docs/pick-api.md, "The gateway's model list"):
 * {@code GET /models} answers the list of the pools NGINX names in {@code x-igw-models-pools} (the
 * pools one server's routes reach), {@code GET /models/<id>} one model of it, percent-encoded as
 * NGINX passes it. Lists are built from the datastore and kept {@code cacheMillis}; an unknown id
 * is 404 {@code model_not_found} (the id is never echoed), another method 405.
 */
public final class ModelsApi {
  public static final String MODELS_PATH = "/models";
  public static final String POOLS_HEADER = "x-igw-models-pools";

  /** How long one pool set's list is reused. */
  public static final long DEFAULT_CACHE_MS = 1000;

  /** Longer ids are not looked up: no server lists one (vLLM's ids are names or paths). */
  static final int MAX_ID_BYTES = 1024;

  /** Pool sets cached at most; more (NGINX renders one per server) empties the cache first. */
  static final int MAX_CACHED_SETS = 1024;

  private static final String ONE_PREFIX = MODELS_PATH + "/";

  private final ModelCatalog catalog;
  private final Clock clock;
  private final long cacheMillis;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long builtAtMillis, ModelList list) {}

  public ModelsApi(ModelCatalog catalog, Clock clock, long cacheMillis) {
    this.catalog = catalog;
    this.clock = clock;
    this.cacheMillis = cacheMillis;
  }

  /** Adds the routes to the pick API's router. */
  public void mount(Router router) {
    router.get(MODELS_PATH).handler(this::handleList);
    router.getWithRegex(ONE_PREFIX + ".*").handler(this::handleOne);
    router.route(MODELS_PATH).handler(ModelsApi::methodNotAllowed);
    router.routeWithRegex(ONE_PREFIX + ".*").handler(ModelsApi::methodNotAllowed);
    // Vert.x Web refuses a path with a broken escape before any route: for a model id, the 404 of
    // an id no server lists (NGINX refuses such a URI itself before it gets here)
    router.errorHandler(400, ModelsApi::handleUnparsable);
  }

  private static void handleUnparsable(RoutingContext rc) {
    if (rc.request().path() != null && rc.request().path().startsWith(ONE_PREFIX)) {
      notFound(rc);
    } else {
      error(
          rc,
          400,
          OpenAiErrorBody.INVALID_REQUEST_ERROR,
          "bad_request",
          "the request could not be parsed");
    }
  }

  private static void notFound(RoutingContext rc) {
    error(
        rc,
        404,
        OpenAiErrorBody.INVALID_REQUEST_ERROR,
        "model_not_found",
        "the model does not exist on this gateway");
  }

  private void handleList(RoutingContext rc) {
    if (!rc.request().path().equals(MODELS_PATH)) {
      handleOne(rc); // "/models/": Vert.x routes it here; an empty id
      return;
    }
    ModelList list = list(rc);
    if (list != null) {
      json(rc, 200, list.body());
    }
  }

  private void handleOne(RoutingContext rc) {
    ModelList list = list(rc);
    if (list == null) {
      return;
    }
    String id = ModelId.decode(rc.request().path().substring(ONE_PREFIX.length()), MAX_ID_BYTES);
    ModelCard card = id == null ? null : list.find(id);
    if (card == null) {
      notFound(rc);
    } else {
      json(rc, 200, card.toJson().toBuffer());
    }
  }

  /** The list of the request's pools, or null when the header is malformed (answered 400). */
  private ModelList list(RoutingContext rc) {
    List<PoolName> pools = pools(rc.request().getHeader(POOLS_HEADER));
    if (pools == null) {
      error(
          rc,
          400,
          OpenAiErrorBody.INVALID_REQUEST_ERROR,
          "invalid_request_error",
          POOLS_HEADER + " must be namespace/name[,namespace/name...]");
      return null;
    }
    String key = pools.stream().map(PoolName::toString).sorted().distinct().toList().toString();
    long now = clock.millis();
    Cached cached = cache.get(key);
    if (cached == null
        || now - cached.builtAtMillis() >= cacheMillis
        || now < cached.builtAtMillis()) {
      if (cache.size() >= MAX_CACHED_SETS) {
        cache.clear();
      }
      cached = new Cached(now, catalog.list(pools));
      cache.put(key, cached);
    }
    return cached.list();
  }

  /** The pools of the header (absent or empty: none), or null when an item is not a pool name. */
  static List<PoolName> pools(String header) {
    List<PoolName> pools = new ArrayList<>();
    if (header == null || header.isBlank()) {
      return pools;
    }
    for (String item : header.split(",", -1)) {
      PoolName pool = item.indexOf('/') > 0 ? PoolName.parse(item.trim()) : null;
      if (pool == null) {
        return null;
      }
      pools.add(pool);
    }
    return pools;
  }

  private static void methodNotAllowed(RoutingContext rc) {
    rc.response().putHeader("allow", "GET");
    error(
        rc,
        405,
        OpenAiErrorBody.INVALID_REQUEST_ERROR,
        "method_not_allowed",
        "the model list answers GET only");
  }

  private static void error(RoutingContext rc, int status, String type, String code, String msg) {
    json(rc, status, Buffer.buffer(OpenAiErrorBody.json(type, code, msg)));
  }

  private static void json(RoutingContext rc, int status, Buffer body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }
}
