package io.igw.bench.lab;

import io.igw.api.time.ManualClock;
import io.igw.bench.workload.CompletionBody;
import io.igw.bench.workload.Headers;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.picker.core.Director;
import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickOptions;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.core.RandomSource;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.PoolDefinition;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.flowcontrol.FlowControlObserver;
import io.igw.picker.flowcontrol.FlowControlledPickService;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.igw.picker.scheduling.plugins.TokenProducer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * The live pick path on virtual time: the picker's {@link Director} (behind its {@link
 * FlowControlledPickService} when the config turns flow control on) over a real {@link Datastore}
 * holding one pool of the lab's servers, fed by a {@link LabCollector} every scrape interval, with
 * the picker's {@link InFlightTracker} ended by completions and swept for expiry as the picker
 * does. Every time the picker reads comes from a {@link ManualClock} (virtual milliseconds since
 * the run's start). A pick gets the body the live load generator sends ({@link CompletionBody}) and
 * the objective header, so the body check, the OpenAI parse, objectives, staleness, admission, the
 * scheduler and the fallbacks all run as they do behind NGINX.
 *
 * <p>A config with a {@code precise-prefix-cache-producer} (the {@code precise} preset) gets the
 * engines' KV events in its index ({@link LabKvEvents}, delivered as the settings' {@link
 * KvEventDelivery} says) instead of ZMQ subscriptions, and its {@code token-producer} is replaced
 * by {@link LabTokenProducer}: the ids the simulated server's {@code /render} answers.
 */
public final class LabPicker implements Router {
  /** Flow control's periodic dispatch, as the picker runs it. */
  static final long DISPATCH_INTERVAL_MILLIS = FlowControlledPickService.DISPATCH_INTERVAL_MILLIS;

  private final ManualClock clock = new ManualClock(0);
  private final InFlightTracker inFlight =
      new InFlightTracker(CompletionFeedOptions.DEFAULT_IN_FLIGHT_EXPIRY_MS);
  private final FlowControlledPickService flow;
  private final PickService picks;
  private final LabCollector collector;
  private final Map<String, Integer> serverByAddress = new HashMap<>();
  private final long scrapeIntervalMillis;
  private final Map<Integer, LabRequest> waiting = new HashMap<>();
  private final ArrayDeque<Decided> decided = new ArrayDeque<>();
  private final LabTokenProducer tokens;
  private final LabKvEvents kvEvents;
  private BiConsumer<WorkloadRequest, PickResult> pickListener = (request, result) -> {};
  private long nextScrapeMillis;
  private long nextSweepMillis;

  private record Decided(LabRequest request, RoutingDecision decision) {}

  public LabPicker(SchedulerConfig loaded, LabCluster cluster) {
    PrecisePrefixCacheProducer precise = precise(loaded);
    this.tokens = precise == null ? null : tokens(loaded);
    SchedulerConfig config = tokens == null ? loaded : withTokens(loaded, tokens);
    this.scrapeIntervalMillis = cluster.settings().scrapeIntervalMillis();
    Datastore datastore =
        new Datastore(scrapeIntervalMillis + CollectorOptions.DEFAULT_SCRAPE_TIMEOUT_MS);
    List<LabServer> servers = cluster.servers();
    datastore.upsert(
        new PoolDefinition(
            LabServer.POOL, null, servers.stream().map(LabServer::endpoint).toList()));
    datastore.replacePolicies(
        Map.of(LabServer.POOL, new PoolPolicies(cluster.objectives(), Map.of(), List.of())));
    List<EndpointState> states = datastore.pool(LabServer.POOL).endpoints();
    ServedModels served = servedModels(cluster);
    for (int i = 0; i < servers.size(); i++) {
      serverByAddress.put(states.get(i).address(), servers.get(i).index());
      states.get(i).recordModels(served);
    }
    PickOptions options =
        new PickOptions()
            .setClock(clock)
            .setRandom(RandomSource.of(new SplittableRandom(cluster.settings().seed())));
    Director director = new Director(datastore, config, inFlight, options);
    this.flow =
        config.flowControlEnabled()
            ? new FlowControlledPickService(
                config.flowControl(), director, clock, FlowControlObserver.NONE)
            : null;
    this.picks = flow != null ? flow : director;
    this.collector = new LabCollector(servers, states, cluster.settings().baseModel());
    if (precise != null) {
      kvEvents =
          new LabKvEvents(
              precise.index(),
              cluster.settings().kvEvents(),
              cluster.settings().baseModel(),
              cluster.settings().seed());
      kvEvents.attach(servers, states);
    } else {
      kvEvents = null;
    }
    runTimers(0);
  }

  private static PrecisePrefixCacheProducer precise(SchedulerConfig config) {
    for (Plugin p : config.plugins()) {
      if (p instanceof PrecisePrefixCacheProducer precise) {
        return precise;
      }
    }
    return null;
  }

  /** A lab token producer in place of the config's token-producer (null when it has none). */
  private static LabTokenProducer tokens(SchedulerConfig config) {
    for (Plugin p : config.plugins()) {
      if (p instanceof TokenProducer producer) {
        return new LabTokenProducer(producer.typedName());
      }
    }
    return null;
  }

  private static SchedulerConfig withTokens(SchedulerConfig config, LabTokenProducer tokens) {
    List<Plugin> plugins = new ArrayList<>();
    for (Plugin p : config.plugins()) {
      plugins.add(p instanceof TokenProducer ? tokens : p);
    }
    return new SchedulerConfig(
        config.scheduler(),
        config.saturationDetector(),
        config.flowControl(),
        config.flowControlEnabled(),
        plugins);
  }

  /** What the KV-event feed did so far, or null when the config indexes no KV events. */
  LabKvEvents.Counts kvEventCounts() {
    return kvEvents == null ? null : kvEvents.counts(tokens);
  }

  /**
   * What every server's {@code /v1/models} lists: the base model and, with it as parent, each
   * adapter.
   */
  private static ServedModels servedModels(LabCluster cluster) {
    Set<String> ids = new HashSet<>(cluster.models());
    ids.add(cluster.settings().baseModel());
    Set<String> adapters = new HashSet<>(ids);
    adapters.remove(cluster.settings().baseModel());
    return new ServedModels(ids, adapters, java.util.List.of(), 0);
  }

  @Override
  public RoutingDecision route(LabRequest lab, long nowMillis) {
    clock.set(nowMillis);
    WorkloadRequest request = lab.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    if (request.objective() != null) {
      headers.add(Headers.OBJECTIVE, request.objective());
    }
    Buffer body = CompletionBody.of(request, lab.promptText()).toBuffer();
    if (tokens != null) {
      tokens.next(lab.promptText().getBytes(StandardCharsets.UTF_8), lab.tokenIds());
    }
    PickRequest pick =
        new PickRequest(
            LabServer.POOL,
            CompletionBody.PATH,
            "POST",
            PickBody.of(body),
            headers,
            requestId(request),
            null);
    Future<PickResult> result = picks.pick(pick);
    if (result.isComplete()) {
      return decision(request, result);
    }
    waiting.put(request.id(), lab);
    result.onComplete(
        done -> {
          waiting.remove(request.id());
          decided.add(new Decided(lab, decision(request, done)));
        });
    return RoutingDecision.held();
  }

  /**
   * The completion feed's part: the request's in-flight accounting ends, and flow control may
   * dispatch.
   */
  @Override
  public void finished(int server, WorkloadRequest request, long nowMillis) {
    clock.set(nowMillis);
    inFlight.completed(requestId(request));
    if (flow != null && !waiting.isEmpty()) {
      flow.dispatchAll(); // what FlowControlledPickService.onCompletion does
    }
  }

  @Override
  public long nextTimerMillis() {
    long next = Math.min(nextScrapeMillis, nextSweepMillis);
    if (!waiting.isEmpty()) {
      next =
          Math.min(
              next, (clock.millis() / DISPATCH_INTERVAL_MILLIS + 1) * DISPATCH_INTERVAL_MILLIS);
    }
    return next;
  }

  /**
   * The collector's scrapes, the in-flight expiry sweep and flow control's dispatch, each on its
   * own period.
   */
  @Override
  public void runTimers(long nowMillis) {
    clock.set(nowMillis);
    if (nowMillis >= nextScrapeMillis) {
      collector.scrapeAll(nowMillis / 1000.0);
      nextScrapeMillis += scrapeIntervalMillis;
    }
    if (nowMillis >= nextSweepMillis) {
      inFlight.expire(nowMillis);
      nextSweepMillis += InFlightTracker.SWEEP_INTERVAL_MILLIS;
    }
    if (flow != null && !waiting.isEmpty() && nowMillis % DISPATCH_INTERVAL_MILLIS == 0) {
      flow.dispatchAll();
    }
  }

  @Override
  public void drain(BiConsumer<LabRequest, RoutingDecision> out) {
    while (!decided.isEmpty()) {
      Decided d = decided.poll();
      out.accept(d.request(), d.decision());
    }
  }

  @Override
  public int held() {
    return waiting.size();
  }

  /** The picker's view of server {@code index} (tests, analysis). */
  public EndpointState endpointState(int index) {
    return collector.state(index);
  }

  /**
   * Tells {@code listener} of every successful pick, with its result (the run's analysis, tests).
   */
  public void onPick(BiConsumer<WorkloadRequest, PickResult> listener) {
    this.pickListener = listener;
  }

  private RoutingDecision decision(WorkloadRequest request, AsyncResult<PickResult> outcome) {
    if (outcome.succeeded()) {
      pickListener.accept(request, outcome.result());
      Integer server = serverByAddress.get(outcome.result().endpoints().get(0));
      if (server == null) {
        throw new IllegalStateException(
            "the picker chose " + outcome.result().endpoints().get(0) + ", not a lab server");
      }
      return RoutingDecision.to(server);
    }
    if (!(outcome.cause() instanceof PickFailure failure)) {
      throw new IllegalStateException(
          "pick of request " + request.id() + " failed", outcome.cause());
    }
    return failure.status() == 429
        ? RoutingDecision.shed(failure.code())
        : RoutingDecision.error(failure.status(), failure.code());
  }

  static String requestId(WorkloadRequest request) {
    return "req-" + request.id();
  }
}
