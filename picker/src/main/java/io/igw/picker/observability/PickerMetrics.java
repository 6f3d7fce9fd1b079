package io.igw.picker.observability;

import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickObserver;
import io.igw.picker.core.PickResult;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.flowcontrol.FlowControlObserver;
import io.igw.picker.flowcontrol.FlowOutcome;
import io.igw.picker.lifecycle.AccessLogLineParser;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.PrefixMatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The picker's own metrics under the reference names (Prometheus): requests and errors per model
 * and target model, request duration and time to response headers (TTFT for streams) from the
 * completion feed, pool averages of KV-cache use and queue, ready endpoints; per pick, the prefix
 * index's hit ratio and matched bytes on the chosen endpoint, and the index's size (GIE's
 * unlabelled {@code inference_extension_prefix_indexer_*}, same buckets). The two prefix histograms
 * are Prometheus client histograms in the Micrometer registry's Prometheus registry: their first
 * bucket is {@code le="0"} (no match), which Micrometer's histograms refuse; without exemplars,
 * whose tracer library Micrometer leaves out.
 */
public final class PickerMetrics
    implements CompletionFeed.Listener,
        PickObserver,
        FlowControlObserver,
        io.igw.picker.ratelimit.RateLimitObserver {
  private static final String MODEL = "model_name";
  private static final String TARGET_MODEL = "target_model_name";
  private static final String NONE = "";
  private static final String FLOW_POOL = "inference_pool";
  private static final String PRIORITY = "priority";

  /** A safety bound on distinct model labels, even for models pools serve. */
  static final int MAX_MODEL_LABELS = 256;

  static final String OTHER = "other";

  /** Outcomes of a bridged request's response phase ({@code igw_bridge_response_phase_total}). */
  public static final String RESPONSE_PHASE_APPLIED = "applied";

  public static final String RESPONSE_PHASE_TIMEOUT = "timeout";
  public static final String RESPONSE_PHASE_FAILED = "failed";
  public static final String RESPONSE_PHASE_NO_STREAM = "no_stream";
  public static final String RESPONSE_PHASE_NOT_APPLIED = "not_applied";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Datastore datastore;
  private final Set<String> poolsWithGauges = new HashSet<>();
  private final Set<String> modelLabels = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.function.Predicate<EndpointState> live;
  private final Histogram prefixHitRatio;
  private final Histogram prefixHitBytes;

  /** The binders of {@link #bind}, kept for the life of the registry. */
  private final java.util.List<io.micrometer.core.instrument.binder.MeterBinder> bound =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Blocks per prefix plugin (by name), as each last reported; the size gauge is their sum. */
  private final Map<String, Long> prefixIndexBlocks = new ConcurrentHashMap<>();

  /**
   * The pick counters by model, then target model: one lookup per pick instead of a meter
   * registration.
   */
  private final Map<String, Map<String, Counter>> pickCounters = new ConcurrentHashMap<>();

  /** {@code live}: whether an endpoint counts as ready (scrapes not failing for too long). */
  public PickerMetrics(Datastore datastore, java.util.function.Predicate<EndpointState> live) {
    this.datastore = datastore;
    this.live = live;
    registerPoolGauges();
    prefixHitRatio =
        Histogram.builder()
            .name("inference_extension_prefix_indexer_hit_ratio")
            .help("Ratio of prefix length matched to total prefix length in the cache lookup.")
            .classicUpperBounds(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
            .classicOnly()
            .withoutExemplars()
            .register(registry.getPrometheusRegistry());
    prefixHitBytes =
        Histogram.builder()
            .name("inference_extension_prefix_indexer_hit_bytes")
            .help("Length of the prefix match in number of bytes in the cache lookup.")
            .classicUpperBounds(
                0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536)
            .classicOnly()
            .withoutExemplars()
            .register(registry.getPrometheusRegistry());
    Gauge.builder(
            "inference_extension_prefix_indexer_size",
            prefixIndexBlocks,
            blocks -> blocks.values().stream().mapToLong(Long::longValue).sum())
        .description("Size of the prefix indexer.")
        .register(registry);
  }

  /**
   * Adds meters someone else counts (the precise prefix index's {@code KvEventMetrics}) to the
   * picker's {@code /metrics}.
   */
  public void bind(io.micrometer.core.instrument.binder.MeterBinder binder) {
    bound.add(
        binder); // function meters hold their state weakly: keep the binder (and its suppliers)
    binder.bindTo(registry);
  }

  /** Adds gauges for pools that appeared since the last call. */
  public synchronized void registerPoolGauges() {
    for (Pool pool : datastore.pools()) {
      String name = pool.name().toString();
      if (poolsWithGauges.add(name)) {
        gauge(
            "inference_pool_average_kv_cache_utilization", name, EndpointState::kvCacheUsage, true);
        gauge(
            "inference_pool_average_queue_size",
            name,
            e -> e.queueEstimate(System.currentTimeMillis()),
            true);
        gauge("inference_pool_ready_pods", name, e -> live.test(e) ? 1.0 : 0.0, false);
      }
    }
  }

  private void gauge(
      String metric, String poolName, ToDoubleFunction<EndpointState> value, boolean average) {
    Gauge.builder(metric, datastore, store -> poolValue(store, poolName, value, average))
        .tag("name", poolName)
        .register(registry);
  }

  private static double poolValue(
      Datastore store, String poolName, ToDoubleFunction<EndpointState> value, boolean average) {
    Pool pool =
        store.pools().stream()
            .filter(p -> p.name().toString().equals(poolName))
            .findFirst()
            .orElse(null);
    if (pool == null || pool.endpoints().isEmpty()) {
      return 0;
    }
    double sum = 0;
    for (EndpointState e : pool.endpoints()) {
      sum += value.applyAsDouble(e);
    }
    return average ? sum / pool.endpoints().size() : sum;
  }

  public void recordPick(String model, String targetModel) {
    String modelLabel = label(model);
    pickCounters
        .computeIfAbsent(modelLabel, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            label(targetModel),
            target ->
                Counter.builder("inference_objective_request")
                    .tag(MODEL, modelLabel)
                    .tag(TARGET_MODEL, target)
                    .register(registry))
        .increment();
  }

  @Override
  public void refused(String model, PickFailure failure) {
    recordPickError(model, failure.code());
  }

  /**
   * One bridged request's response phase: relayed with the EPP's answer applied, timed out or
   * failed (the response passed unmodified), relayed without an open stream, or reported after the
   * response with mutations not applied.
   */
  public void recordBridgeResponsePhase(String outcome) {
    Counter.builder("igw_bridge_response_phase")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void recordPickError(String model, String errorCode) {
    Counter.builder("inference_objective_request_error")
        .tag(MODEL, label(model))
        .tag(TARGET_MODEL, NONE)
        .tag("error_code", errorCode)
        .register(registry)
        .increment();
  }

  @Override
  public void picked(String model, PickResult result) {
    recordPick(model, result.targetModel());
    for (PrefixMatch match : result.prefixMatches()) {
      prefixHitRatio.observe(match.hitRatio());
      prefixHitBytes.observe(match.matchedBytes());
      prefixIndexBlocks.put(match.plugin().name(), match.indexBlocks());
    }
  }

  /**
   * The label for a client-given model name: the name itself when a pool serves it (an endpoint
   * lists it or runs it as an adapter) or a pool's InferenceModel or rewrite names it; anything
   * else is {@value #OTHER}, so clients cannot add labels. Known names are remembered, at most
   * {@value #MAX_MODEL_LABELS} of them.
   */
  String label(String model) {
    if (model == null) {
      return NONE;
    }
    if (modelLabels.contains(model)) {
      return model;
    }
    if (!servedByAPool(model) || modelLabels.size() >= MAX_MODEL_LABELS) {
      return OTHER;
    }
    modelLabels.add(model);
    return model;
  }

  private boolean servedByAPool(String model) {
    for (Pool pool : datastore.pools()) {
      for (EndpointState e : pool.endpoints()) {
        ServedModels served = e.models();
        MetricsSnapshot scraped = e.metrics();
        if (served != null && served.serves(model)
            || scraped != null && scraped.hasAdapter(model)) {
          return true;
        }
      }
      if (named(datastore.policies(pool.name()), model)) {
        return true;
      }
    }
    return false;
  }

  private static boolean named(PoolPolicies policies, String model) {
    if (policies == null) {
      return false;
    }
    for (PoolPolicies.ModelPolicy policy : policies.models().values()) {
      if (model.equals(policy.modelName()) || targets(policy.targets(), model)) {
        return true;
      }
    }
    for (PoolPolicies.RewriteRule rule : policies.rewriteRules()) {
      if (rule.exactModels().contains(model) || targets(rule.targets(), model)) {
        return true;
      }
    }
    return false;
  }

  private static boolean targets(
      java.util.List<PoolPolicies.WeightedTarget> targets, String model) {
    for (PoolPolicies.WeightedTarget target : targets) {
      if (model.equals(target.model())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onCompletion(Completion completion, InFlightTracker.InFlight request) {
    String model = request == null ? NONE : label(request.model());
    String target = request == null ? NONE : label(request.targetModel());
    if (completion.requestTimeSeconds() >= 0) {
      timer("inference_objective_request_duration", model, target)
          .record(Duration.ofNanos((long) (completion.requestTimeSeconds() * 1e9)));
    }
    if (completion.headerTimeSeconds() >= 0) {
      timer("inference_objective_request_ttft", model, target)
          .record(Duration.ofNanos((long) (completion.headerTimeSeconds() * 1e9)));
    }
    if (completion.status() >= 500) {
      Counter.builder("inference_objective_request_error")
          .tag(MODEL, model)
          .tag(TARGET_MODEL, target)
          .tag("error_code", Integer.toString(completion.status()))
          .register(registry)
          .increment();
    }
  }

  private Timer timer(String name, String model, String target) {
    return Timer.builder(name)
        .tag(MODEL, model)
        .tag(TARGET_MODEL, target)
        .serviceLevelObjectives(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60))
        .register(registry);
  }

  /**
   * Token rate limits: {@code igw_ratelimit_refused_total{policy,rule,type}} (labels from the
   * operator's policies only) and {@code igw_ratelimit_store_errors_total{operation,outcome}}.
   */
  @Override
  public void rateLimited(String policy, String rule, String type) {
    Counter.builder("igw_ratelimit_refused")
        .description("requests refused by a TokenRateLimitPolicy")
        .tag("policy", policy)
        .tag("rule", rule)
        .tag("type", type)
        .register(registry)
        .increment();
  }

  @Override
  public void rateLimitStoreError(String operation, boolean denied) {
    Counter.builder("igw_ratelimit_store_errors")
        .description("bucket-store (Redis) calls that failed; outcome: what the request got")
        .tag("operation", operation)
        .tag("outcome", operation.equals("admit") ? (denied ? "denied" : "allowed") : "none")
        .register(registry)
        .increment();
  }

  /**
   * Flow control, under the reference's names: {@code inference_extension_flow_control_queue_size}
   * and {@code _queue_bytes} per pool and priority (without the reference's fairness and model
   * labels: one flow per band).
   */
  @Override
  public void bandAppeared(
      String pool,
      int priority,
      java.util.function.DoubleSupplier queued,
      java.util.function.DoubleSupplier queuedBytes) {
    String band = Integer.toString(priority);
    Gauge.builder(
            "inference_extension_flow_control_queue_size",
            queued,
            java.util.function.DoubleSupplier::getAsDouble)
        .description("Current number of requests in the flow control queue.")
        .tag(FLOW_POOL, pool)
        .tag(PRIORITY, band)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "inference_extension_flow_control_queue_bytes",
            queuedBytes,
            java.util.function.DoubleSupplier::getAsDouble)
        .description("Current size in bytes of the requests in the flow control queue.")
        .tag(FLOW_POOL, pool)
        .tag(PRIORITY, band)
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code inference_extension_flow_control_request_queue_duration_seconds} by pool, priority and
   * outcome ({@code Dispatched}, {@code RejectedCapacity}, {@code EvictedTTL}, {@code
   * EvictedContextCancelled}): its {@code _count} is the dispatched / rejected (429) / expired
   * (503) / cancelled counter.
   */
  @Override
  public void left(String pool, int priority, FlowOutcome outcome, long waitedMillis) {
    Timer.builder("inference_extension_flow_control_request_queue_duration")
        .description("Time requests spend in the flow control layer, until their final outcome.")
        .tag(FLOW_POOL, pool)
        .tag(PRIORITY, Integer.toString(priority))
        .tag("outcome", outcome.label())
        .serviceLevelObjectives(
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60))
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, waitedMillis)));
  }

  /**
   * {@code igw_completion_feed_lines_total}: access-log lines the feed received; {@code
   * igw_completion_feed_rejected_lines_total} by reason: those it dropped.
   */
  public void watch(CompletionFeed feed) {
    FunctionCounter.builder("igw_completion_feed_lines", feed, CompletionFeed::received)
        .description("Access-log lines the completion feed received.")
        .register(registry);
    for (AccessLogLineParser.Rejection why : AccessLogLineParser.Rejection.values()) {
      FunctionCounter.builder("igw_completion_feed_rejected_lines", feed, f -> f.rejected(why))
          .description("Access-log lines the completion feed dropped.")
          .tag("reason", why.label)
          .register(registry);
    }
  }

  /** The Prometheus text exposition of every metric. */
  /** The registry, for the metrics of other listeners (the token counters). */
  MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    registerPoolGauges();
    return registry.scrape();
  }
}
