package io.igw.picker.core;

import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.DataProducer;
import io.igw.picker.scheduling.ProduceRequest;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.SchedulingRequest;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.tenancy.TenantKey;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The in-process pick: pool lookup, body check and OpenAI parse, objective (priority), model
 * rewrite, live endpoints, those that serve the target model, admission (priority &lt; 0 is shed
 * while the pool is saturated), the scheduler, fallbacks. Failures are {@link PickFailure}s.
 * Synchronous and non-blocking: its futures are complete when returned. Flow control uses its two
 * halves ({@link #prepare}, {@link #schedule}) to queue between them.
 */
public final class Director implements PickService {
  /**
   * The EPP protocol's subset hint key. The hint comes only from the gateway ({@link
   * PickRequest#subset()}: ext_proc metadata), never from a request header of this name, which a
   * client can send.
   */
  public static final String SUBSET_HINT_HEADER = "x-gateway-destination-endpoint-subset";

  /** The usual estimate of prompt tokens from text, as the prefix index uses. */
  static final int BYTES_PER_TOKEN = io.igw.api.TokenEstimate.BYTES_PER_TOKEN;

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(Director.class.getName());

  private final Datastore datastore;
  private final SchedulerConfig scheduling;
  private final InFlightTracker inFlight;
  private final Clock clock;
  private final RandomSource random;
  private final long staleAfterMillis;
  private final int maxEndpoints;
  private final List<DataProducer> producers;
  private final boolean tokenAccounting;
  private final TenantKey tenantKey;

  public Director(
      Datastore datastore,
      SchedulerConfig scheduling,
      InFlightTracker inFlight,
      PickOptions options) {
    this.datastore = datastore;
    this.scheduling = scheduling;
    this.inFlight = inFlight;
    this.clock = options.getClock();
    this.random = options.getRandom();
    this.staleAfterMillis = options.getStaleAfterMs();
    this.maxEndpoints = options.getMaxEndpointsPerPick();
    this.producers = scheduling.producers();
    this.tokenAccounting = options.isTokenAccounting();
    this.tenantKey = new TenantKey(options.getTenantHeader());
  }

  /**
   * What a pick knows before it schedules: checked request, pool, priority and target model, and
   * what the data producers found ({@code produced}: null until {@link #produce} ran, or when the
   * config has no producer).
   */
  public record PreparedPick(
      PickRequest request,
      Pool pool,
      OpenAiRequest parsed,
      MultiMap headers,
      int priority,
      String model,
      ProducedData produced) {
    public PreparedPick(
        PickRequest request,
        Pool pool,
        OpenAiRequest parsed,
        MultiMap headers,
        int priority,
        String model) {
      this(request, pool, parsed, headers, priority, model, null);
    }
  }

  @Override
  public Future<PickResult> pick(PickRequest request) {
    try {
      PreparedPick prepared = prepare(request);
      if (producers.isEmpty()) {
        return Future.succeededFuture(schedule(prepared, true));
      }
      return produce(prepared).map(withData -> schedule(withData, true));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Runs the config's data producers (the request's tokens) one after the other; each bounds its
   * own wait and none fails the pick: a producer that fails is logged and its data left out, so its
   * consumers fall back. Completes at once when the config has none or the request has no prompt.
   */
  public Future<PreparedPick> produce(PreparedPick prepared) {
    if (producers.isEmpty() || prepared.parsed().promptBytes().isEmpty()) {
      return Future.succeededFuture(prepared);
    }
    ProducedData data = new ProducedData();
    PreparedPick withData =
        new PreparedPick(
            prepared.request(),
            prepared.pool(),
            prepared.parsed(),
            prepared.headers(),
            prepared.priority(),
            prepared.model(),
            data);
    ProduceRequest request =
        new ProduceRequest(
            prepared.request().path(),
            prepared.parsed().api() == OpenAiRequest.Api.CHAT_COMPLETIONS,
            prepared.request().body()::json,
            prepared.model(),
            prepared.parsed().promptBytes(),
            prepared.model() == null
                ? liveEndpoints(prepared.pool(), clock.millis())
                : servingModel(liveEndpoints(prepared.pool(), clock.millis()), prepared.model()));
    Future<Void> chain = Future.succeededFuture();
    for (DataProducer producer : producers) {
      chain =
          chain.compose(
              v ->
                  producer
                      .produce(request, data)
                      .recover(
                          e -> {
                            LOG.fine(
                                () ->
                                    "event=producer_failed plugin="
                                        + producer.typedName()
                                        + " error="
                                        + e);
                            return Future.succeededFuture();
                          }));
    }
    return chain.map(v -> withData);
  }

  /**
   * Ends the request's in-flight accounting (its answer never reached a client, or its response
   * began).
   */
  @Override
  public void release(PickRequest request) {
    if (request.requestId() != null && !request.requestId().isEmpty()) {
      inFlight.completed(request.requestId());
    }
  }

  /**
   * Body check, pool lookup, OpenAI parse, objective (priority), model rewrite; failures are {@link
   * PickFailure}s.
   */
  public PreparedPick prepare(PickRequest request) {
    request.body().check();
    Pool pool = datastore.pool(request.pool());
    if (pool == null) {
      throw PickFailure.poolNotFound(request.pool().toString());
    }
    OpenAiRequest parsed = request.body().openAi(request.path());
    RandomGenerator rng = random.generator();
    PoolPolicies policies = datastore.policies(pool.name());
    MultiMap headers =
        request.headers() == null ? MultiMap.caseInsensitiveMultiMap() : request.headers();
    int priority =
        RequestPolicy.priority(
            policies, headers.get(RequestPolicy.OBJECTIVE_HEADER), parsed.model());
    String model = RequestPolicy.targetModel(policies, parsed.model(), rng);
    return new PreparedPick(request, pool, parsed, headers, priority, model);
  }

  /**
   * Live endpoints, those that serve the target model, admission ({@code shedWhenSaturated}:
   * priority &lt; 0 is refused while the pool is saturated; flow control queues instead), the
   * scheduler, fallbacks.
   */
  public PickResult schedule(PreparedPick prepared, boolean shedWhenSaturated) {
    PickRequest request = prepared.request();
    Pool pool = prepared.pool();
    MultiMap headers = prepared.headers();
    String model = prepared.model();
    RandomGenerator rng = random.generator();
    long now = clock.millis();
    List<EndpointState> live = inSubset(liveEndpoints(pool, now), request.subset());
    if (live.isEmpty()) {
      throw PickFailure.noReadyEndpoint(pool.name());
    }
    List<EndpointState> candidates = model == null ? live : servingModel(live, model);
    if (candidates.isEmpty()) {
      throw PickFailure.modelNotFound(model, pool.name());
    }
    if (shedWhenSaturated
        && prepared.priority() < 0
        && scheduling.saturationDetector().isSaturated(live, now)) {
      throw PickFailure.shed(pool.name());
    }
    SchedulingRequest schedulingRequest =
        new SchedulingRequest(
            request.requestId(),
            model,
            prepared.parsed().promptBytes(),
            headers::get,
            prepared.priority());
    SchedulingContext context =
        new SchedulingContext(schedulingRequest, now, rng, prepared.produced());
    ProfileResult result = scheduling.scheduler().schedule(context, candidates);
    if (result.endpoints().isEmpty()) {
      throw PickFailure.noReadyEndpoint(pool.name());
    }
    List<String> addresses = withFallbacks(result.endpoints(), candidates, now);
    EndpointState chosen = result.endpoints().get(0);
    inFlight.started(
        request.requestId(),
        new InFlightTracker.InFlight(
            chosen,
            now,
            pool.name().toString(),
            prepared.parsed().model(),
            model,
            context.request().promptBytes().length() / BYTES_PER_TOKEN,
            RequestPolicy.objective(
                datastore.policies(pool.name()), headers.get(RequestPolicy.OBJECTIVE_HEADER)),
            tenantKey.of(headers)));
    chosen.recordPick(now);
    boolean modelRewritten = model != null && !model.equals(prepared.parsed().model());
    // the object tree only where a rewrite may be needed: most picks never build it
    boolean addUsage =
        tokenAccounting
            && UsageRequest.canAdd(pool, headers)
            && UsageRequest.missing(prepared.parsed().api(), request.body());
    Buffer rewritten = null;
    if (modelRewritten || addUsage) {
      JsonObject upstream = request.body().json().copy();
      if (modelRewritten) {
        upstream.put("model", model);
      }
      if (addUsage) {
        UsageRequest.addTo(upstream);
      }
      rewritten = upstream.toBuffer();
    }
    return new PickResult(addresses, model, rewritten, Map.of(), context.prefixMatches(), addUsage);
  }

  /**
   * Whether the pool's live endpoints are saturated now (an unknown pool is not: its picks fail on
   * their own).
   */
  public boolean isSaturated(io.igw.picker.datastore.PoolName poolName) {
    Pool pool = datastore.pool(poolName);
    if (pool == null) {
      return false;
    }
    long now = clock.millis();
    return scheduling.saturationDetector().isSaturated(liveEndpoints(pool, now), now);
  }

  /**
   * The scheduler's order, then the other candidates by least queue (then fewest running, then
   * candidate order), up to {@code maxEndpoints}. A selection rather than a sort: only a few
   * fallbacks are wanted out of many candidates.
   */
  private List<String> withFallbacks(
      List<EndpointState> chosen, List<EndpointState> candidates, long now) {
    List<String> out = new ArrayList<>(maxEndpoints);
    for (int i = 0; i < chosen.size() && out.size() < maxEndpoints; i++) {
      out.add(chosen.get(i).address());
    }
    while (out.size() < maxEndpoints && candidates.size() > out.size()) {
      EndpointState best = null;
      long bestQueue = 0;
      long bestRunning = 0;
      for (int i = 0; i < candidates.size(); i++) {
        EndpointState e = candidates.get(i);
        long queue = e.queueEstimate(now);
        long running = e.running();
        if ((best == null || queue < bestQueue || queue == bestQueue && running < bestRunning)
            && !out.contains(e.address())) {
          best = e;
          bestQueue = queue;
          bestRunning = running;
        }
      }
      if (best == null) {
        break;
      }
      out.add(best.address());
    }
    return out;
  }

  /**
   * The pool's endpoints whose scrapes are not failing for too long (the pool's own list when all
   * are).
   */
  private List<EndpointState> liveEndpoints(Pool pool, long now) {
    List<EndpointState> all = pool.endpoints();
    int firstStale = 0;
    while (firstStale < all.size() && all.get(firstStale).isLive(now, staleAfterMillis)) {
      firstStale++;
    }
    if (firstStale == all.size()) {
      return all;
    }
    List<EndpointState> out = new ArrayList<>(all.subList(0, firstStale));
    for (int i = firstStale + 1; i < all.size(); i++) {
      if (all.get(i).isLive(now, staleAfterMillis)) {
        out.add(all.get(i));
      }
    }
    // scrapes failing everywhere (the picker's own network or load) must not stop serving: the
    // servers may be fine
    return out.isEmpty() ? all : out;
  }

  /**
   * The endpoints the subset hint allows ({@code ip:port}, or a bare {@code ip} for all its ports).
   */
  private static List<EndpointState> inSubset(
      List<EndpointState> endpoints, java.util.Set<String> subset) {
    if (subset == null) {
      return endpoints;
    }
    List<EndpointState> out = new ArrayList<>(endpoints.size());
    for (EndpointState e : endpoints) {
      String address = e.address();
      if (subset.contains(address)
          || subset.contains(address.substring(0, address.lastIndexOf(':')))) {
        out.add(e);
      }
    }
    return out;
  }

  /** The endpoints that may serve {@code model} (the same list when all may). */
  private static List<EndpointState> servingModel(List<EndpointState> endpoints, String model) {
    int firstOther = 0;
    while (firstOther < endpoints.size() && endpoints.get(firstOther).mayServe(model)) {
      firstOther++;
    }
    if (firstOther == endpoints.size()) {
      return endpoints;
    }
    List<EndpointState> out = new ArrayList<>(endpoints.subList(0, firstOther));
    for (int i = firstOther + 1; i < endpoints.size(); i++) {
      if (endpoints.get(i).mayServe(model)) {
        out.add(endpoints.get(i));
      }
    }
    return out;
  }
}
