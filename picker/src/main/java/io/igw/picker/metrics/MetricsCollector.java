package io.igw.picker.metrics;

import io.igw.api.log.LogText;
import io.igw.api.net.LoopbackOnly;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.ServedModels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Polls every endpoint of the datastore: {@code /metrics} every scrape interval and {@code
 * /v1/models} every models interval, at most one poll of each kind per endpoint and {@code
 * maxConcurrentPolls} overall, each with a timeout and a body limit. Results land in the endpoint's
 * state as immutable snapshots. Runs on the event loop; nothing blocks.
 */
public final class MetricsCollector {
  public static final String METRICS_PATH = "/metrics";
  public static final String MODELS_PATH = "/v1/models";
  static final long MAX_MODELS_BYTES = 1024 * 1024;
  private static final Logger LOG = Logger.getLogger(MetricsCollector.class.getName());

  private final Vertx vertx;
  private final Datastore datastore;
  private final Clock clock;
  private final CollectorOptions options;
  private final HttpClientAgent client;
  private final Map<EngineMetricNames, EngineMetricsMapper> mappers = new ConcurrentHashMap<>();

  /**
   * Servers (address and engine) with a scrape in flight, and when each is next asked for its
   * models.
   */
  private final Set<String> scraping = ConcurrentHashMap.newKeySet();

  private final Map<String, Long> nextModelsPoll = new ConcurrentHashMap<>();
  private final AtomicInteger activePolls = new AtomicInteger();
  private int rotation;

  /** The last grouping of endpoints into servers (event loop only). */
  private List<EndpointState> groupedEndpoints = List.of();

  private List<ServerStates> groupedServers = List.of();
  private long timerId = -1;

  public MetricsCollector(Vertx vertx, Datastore datastore, Clock clock, CollectorOptions options) {
    this.vertx = vertx;
    this.datastore = datastore;
    this.clock = clock;
    this.options = options;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) options.getScrapeTimeoutMs()),
            new PoolOptions().setHttp1MaxSize(2).setMaxWaitQueueSize(4));
  }

  public void start() {
    tick();
    timerId = vertx.setPeriodic(options.getScrapeIntervalMs(), id -> tick());
  }

  public Future<Void> close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return client.close();
  }

  /**
   * One round: start the polls that are due, within the concurrency bound, rotating who goes first.
   * A server in several pools (one state per pool) is polled once and its answer given to each
   * state: polls per server stay at one of each kind, however many pools select it.
   */
  void tick() {
    List<ServerStates> servers = servers();
    int n = servers.size();
    if (n == 0) {
      return;
    }
    long now = clock.millis();
    int first = Math.floorMod(rotation++, n);
    for (int i = 0; i < n && activePolls.get() < options.getMaxConcurrentScrapes(); i++) {
      ServerStates server = servers.get((first + i) % n);
      if (scraping.add(server.key())) {
        activePolls.incrementAndGet();
        scrape(server);
      }
      Long due = nextModelsPoll.get(server.key());
      if ((due == null || due <= now) && activePolls.get() < options.getMaxConcurrentScrapes()) {
        nextModelsPoll.put(server.key(), Long.MAX_VALUE);
        activePolls.incrementAndGet();
        pollModels(server);
      }
    }
    if (nextModelsPoll.size() > n) {
      Set<String> current = new HashSet<>();
      servers.forEach(server -> current.add(server.key()));
      nextModelsPoll.keySet().retainAll(current);
    }
  }

  /** The states of one server (address and engine), one per pool that selects it. */
  private record ServerStates(String key, Endpoint endpoint, List<EndpointState> states) {}

  /**
   * The servers of the datastore's endpoints, grouped again only when the endpoints changed (ticks
   * are 20/s).
   */
  private List<ServerStates> servers() {
    List<EndpointState> all = datastore.endpoints();
    if (!all.equals(groupedEndpoints)) {
      Map<String, ServerStates> byKey = new LinkedHashMap<>();
      for (EndpointState state : all) {
        String key = state.address() + " " + state.endpoint().engine();
        byKey
            .computeIfAbsent(key, k -> new ServerStates(k, state.endpoint(), new ArrayList<>(1)))
            .states()
            .add(state);
      }
      groupedEndpoints = all;
      groupedServers = List.copyOf(byKey.values());
    }
    return groupedServers;
  }

  private void scrape(ServerStates server) {
    long[] picksAtStart = new long[server.states().size()];
    for (int i = 0; i < picksAtStart.length; i++) {
      picksAtStart[i] = server.states().get(i).picksIssued();
    }
    EngineMetricsMapper mapper =
        mappers.computeIfAbsent(
            EngineMetricNames.forEngine(server.endpoint().engine()), EngineMetricsMapper::new);
    fetch(server.endpoint(), METRICS_PATH, options.getMaxMetricsBytes())
        .map(body -> mapper.map(body.toString(StandardCharsets.UTF_8), clock.millis()))
        .onComplete(
            ar -> {
              scraping.remove(server.key());
              activePolls.decrementAndGet();
              for (int i = 0; i < picksAtStart.length; i++) {
                EndpointState state = server.states().get(i);
                if (ar.succeeded()) {
                  if (state.recordScrape(ar.result(), picksAtStart[i])) {
                    LOG.info(
                        "event=endpoint_up endpoint="
                            + state.address()
                            + " pool="
                            + state.endpoint().pool());
                  }
                } else if (state.recordScrapeFailure(clock.millis())) {
                  LOG.warning(
                      "event=scrape_failing endpoint="
                          + state.address()
                          + " pool="
                          + state.endpoint().pool()
                          + " error="
                          + LogText.value(describe(ar.cause())));
                }
              }
            });
  }

  private void pollModels(ServerStates server) {
    fetch(server.endpoint(), MODELS_PATH, MAX_MODELS_BYTES)
        .map(body -> parseModels(body, clock.millis()))
        .onComplete(
            ar -> {
              activePolls.decrementAndGet();
              nextModelsPoll.put(server.key(), clock.millis() + options.getModelsIntervalMs());
              for (EndpointState state : server.states()) {
                if (ar.succeeded()) {
                  state.recordModels(ar.result());
                } else {
                  state.recordModelsFailure();
                }
              }
            });
  }

  /**
   * The entries of an OpenAI model list ({@code {"data":[{"id":…},…]}}); entries without a string
   * id are skipped.
   */
  static ServedModels parseModels(Buffer body, long atMillis) {
    JsonObject json = new JsonObject(body);
    JsonArray data = json.getJsonArray("data");
    if (data == null) {
      throw new IllegalArgumentException("no data array");
    }
    List<ModelCard> cards = new ArrayList<>();
    for (Object item : data) {
      ModelCard card = item instanceof JsonObject model ? ModelCard.fromJson(model) : null;
      if (card != null) {
        cards.add(card);
      }
    }
    return ServedModels.of(cards, atMillis);
  }

  private Future<Buffer> fetch(Endpoint endpoint, String path, long maxBytes) {
    if (!LoopbackOnly.allows(endpoint.ip(), endpoint.port(), "scrape")) {
      return Future.failedFuture(new PollFailure("refused outside loopback in a test run"));
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(endpoint.ip())
            .setPort(endpoint.port())
            .setURI(path)
            .setConnectTimeout(options.getScrapeTimeoutMs())
            .setIdleTimeout(options.getScrapeTimeoutMs());
    // the overall timeout guards the one-poll-per-endpoint slot: a poll that never completes must
    // not stall it
    // (with keep-alive, Vert.x 5.0.7's client left about 1 request in 5,000 without an answer here)
    return client
        .request(request)
        .compose(req -> req.send())
        .compose(
            resp ->
                readBounded(resp, maxBytes)
                    .compose(
                        body ->
                            resp.statusCode() == 200
                                ? Future.succeededFuture(body)
                                : Future.failedFuture(
                                    new PollFailure("status " + resp.statusCode()))))
        .timeout(options.getScrapeTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  private static Future<Buffer> readBounded(HttpClientResponse resp, long maxBytes) {
    String length = resp.getHeader("content-length");
    if (length != null
        && length.length() < 19
        && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > maxBytes) {
      resp.request().reset();
      return Future.failedFuture(
          new PollFailure("body of " + length + " bytes over the limit of " + maxBytes));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.handler(
        chunk -> {
          if (body.length() + chunk.length() > maxBytes) {
            if (promise.tryFail(new PollFailure("body over the limit of " + maxBytes + " bytes"))) {
              resp.request().reset();
            }
          } else {
            body.appendBuffer(chunk);
          }
        });
    resp.exceptionHandler(promise::tryFail);
    resp.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  private static String describe(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replace('"', '\'').replace('\n', ' ');
  }

  /** An expected poll failure (bad status, body too large); logged without a stack trace. */
  static final class PollFailure extends RuntimeException {
    PollFailure(String message) {
      super(message, null, false, false);
    }
  }
}
