package io.igw.picker;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.igw.api.manifest.ManifestReader;
import io.igw.picker.core.Director;
import io.igw.picker.core.ObservedPickService;
import io.igw.picker.core.PickService;
import io.igw.picker.core.PoolRouter;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.FirstCompleteView;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.datastore.kubernetes.KubernetesDatastoreSource;
import io.igw.picker.extproc.EppBridge;
import io.igw.picker.extproc.EppResolver;
import io.igw.picker.extproc.ExtProcServer;
import io.igw.picker.flowcontrol.FlowControlledPickService;
import io.igw.picker.kvcache.KvEventMetrics;
import io.igw.picker.kvcache.KvEventSubscriptions;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.metrics.MetricsCollector;
import io.igw.picker.models.ModelCatalog;
import io.igw.picker.models.ModelsApi;
import io.igw.picker.observability.PickerMetrics;
import io.igw.picker.observability.PrecisePickMetrics;
import io.igw.picker.pick.PickApi;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.pick.PickApiVerticle;
import io.igw.picker.ratelimit.BucketStore;
import io.igw.picker.ratelimit.LocalBucketStore;
import io.igw.picker.ratelimit.PolicyCondition;
import io.igw.picker.ratelimit.RateLimitPolicyResolver;
import io.igw.picker.ratelimit.RateLimitedPickService;
import io.igw.picker.ratelimit.RateLimiter;
import io.igw.picker.ratelimit.RateLimits;
import io.igw.picker.ratelimit.RedisBucketStore;
import io.igw.picker.relay.RelayVerticle;
import io.igw.picker.relay.ResponseRelay;
import io.igw.picker.scheduling.PluginLifecycle;
import io.igw.picker.scheduling.PluginResources;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Wires datastore, collector, the pick path, completion feed, metrics and the frontends; owns their
 * lifecycles. It sits in the picker's top package, beside {@link PickerServer} and the command
 * line: it depends on every package and none depends on it (an {@code impl} package would make a
 * cycle with the interface that starts it). The pick path: the {@link Director}, flow control in
 * front of it when on, the token rate limits in front of both, the {@link ObservedPickService} that
 * feeds the metrics; the HTTP pick API gets it behind a {@link PoolRouter} that sends pools with a
 * foreign EPP to the bridge, behind the same rate limits ({@link RateLimitedPickService#around}),
 * the ext_proc server gets it as is.
 *
 * <p>Threads: the pick API runs on {@link PickApiOptions#getPickThreads()} event loops, the
 * ext_proc server, the collector, the completion feed and the Kubernetes source on others, all over
 * the same director. What they share is thread-safe: the datastore (concurrent map, pools swapped
 * whole), endpoint states (atomics, volatile snapshots), the in-flight tracker (concurrent map),
 * the scheduler's plugins (stateless, or one lock: the prefix index, the session table), the
 * metrics registry; per-pick scratch (prompt encoder, score arrays) is per thread. Flow control,
 * when on, guards each pool's queue with a lock (see {@link FlowControlledPickService}).
 */
final class PickerServerImpl implements PickerServer {
  private static final Logger LOG = Logger.getLogger(PickerServerImpl.class.getName());
  static final long EXPIRY_SWEEP_MILLIS = InFlightTracker.SWEEP_INTERVAL_MILLIS;

  private final Vertx vertx;
  private final PickerOptions options;
  private final Datastore datastore;
  private final InFlightTracker inFlight;
  private final PickerMetrics metrics;
  private final MetricsCollector collector;
  private CompletionFeed feed;
  private KubernetesDatastoreSource kubernetesSource;
  private KubernetesClient ownedClient;
  private volatile String pickApiDeployment;
  private volatile int port = -1;
  private long sweepTimer = -1;
  // ext_proc: the standard EPP server and the bridge to foreign EPPs
  private EppBridge bridge;
  private ExtProcServer extProcServer;
  private ResponseRelay relay;
  private volatile String relayDeployment;
  private volatile int relayPort = -1;

  /** What the completion feed tells of each completed request. */
  private final List<CompletionFeed.Listener> completionListeners = new ArrayList<>();

  /** The pools' token rate limits, swapped whole when the policies change. */
  private volatile RateLimits rateLimits = RateLimits.NONE;

  private BucketStore rateLimitBuckets;

  /** The one rate-limit decorator: in front of the in-process path and of every bridged pool. */
  private RateLimitedPickService rateLimited;

  /** Stops what the pick path started (flow control's dispatch timer). */
  private final List<Runnable> pickPathStops = new ArrayList<>();

  /** Stops the plugins that hold resources. */
  private final List<java.util.function.Supplier<Future<Void>>> pluginStops = new ArrayList<>();

  private PickerServerImpl(Vertx vertx, PickerOptions options, Loaded loaded) {
    this.vertx = vertx;
    this.options = options;
    this.datastore =
        new Datastore(
            options.getCollector().getScrapeIntervalMs()
                + options.getCollector().getScrapeTimeoutMs());
    if (loaded.kubernetesClient() != null) {
      ownedClient = options.getKubernetesClient() == null ? loaded.kubernetesClient() : null;
      kubernetesSource =
          new KubernetesDatastoreSource(
              loaded.kubernetesClient(),
              options.getKubernetesNamespace(),
              datastore,
              task -> vertx.runOnContext(v -> task.run()));
      kubernetesSource.onRebuild(this::replaceRateLimits);
    } else {
      replaceRateLimits(loaded.resources());
      datastore.replaceAll(PoolResolver.resolve(loaded.resources()));
      datastore.replacePolicies(PolicyResolver.resolve(loaded.resources()));
      datastore
          .pools()
          .forEach(
              pool ->
                  LOG.info(
                      "event=pool_loaded pool="
                          + pool.name()
                          + " endpoints="
                          + pool.endpoints().size()));
    }
    this.inFlight = new InFlightTracker(options.getCompletionFeed().getInFlightExpiryMs());
    this.metrics =
        new PickerMetrics(
            datastore,
            e ->
                e.isLive(
                    options.getPick().getClock().millis(), options.getPick().getStaleAfterMs()));
    this.collector =
        new MetricsCollector(
            vertx, datastore, options.getPick().getClock(), options.getCollector());
  }

  static Future<PickerServer> start(Vertx vertx, PickerOptions options) {
    return vertx
        .executeBlocking(() -> load(options), false)
        .compose(
            loaded ->
                new PickerServerImpl(vertx, options, loaded)
                    .listen(loaded.scheduling(), loaded.resources()));
  }

  /** What start-up reads: manifests or a Kubernetes client, and the scheduler config. */
  private record Loaded(
      List<HasMetadata> resources, KubernetesClient kubernetesClient, SchedulerConfig scheduling) {}

  private static Loaded load(PickerOptions options) {
    SchedulerConfig scheduling = schedulerConfig(options);
    if (options.isKubernetes()) {
      KubernetesClient client =
          options.getKubernetesClient() != null
              ? options.getKubernetesClient()
              : new KubernetesClientBuilder().build();
      return new Loaded(List.of(), client, scheduling);
    }
    return new Loaded(readResources(options), null, scheduling);
  }

  private Future<PickerServer> listen(SchedulerConfig scheduling, List<HasMetadata> resources) {
    EppResolver epps =
        new EppResolver(datastore, options.getExtProc(), resources, options.isKubernetes());
    bridge = new EppBridge(vertx, epps, options.getExtProc(), metrics);
    completionListeners.add(metrics);
    completionListeners.add(
        new io.igw.picker.observability.TokenCounters(
            metrics, options.getPick().getMaxTenantLabels()));
    completionListeners.add(bridge);
    startPlugins(scheduling);
    PickService inProcess = new ObservedPickService(inProcessPicks(scheduling), metrics);
    PickApi api =
        new PickApi(
            new PoolRouter(inProcess, this::bridgedPool),
            datastore,
            metrics,
            new FirstCompleteView(
                    datastore, () -> kubernetesSource == null || kubernetesSource.synced())
                ::reached,
            options.getPickApi());
    return listenFeed()
        .compose(v -> epps.mayBridge() ? bridge.warmUp() : Future.<Void>succeededFuture())
        .compose(v -> warmUpRateLimitStore())
        .compose(v -> listenExtProc(inProcess))
        .compose(v -> deployRelay())
        .compose(v -> deployPickApi(api))
        .map(
            v -> {
              if (kubernetesSource != null) {
                kubernetesSource.start();
              }
              collector.start();
              sweepTimer = vertx.setPeriodic(EXPIRY_SWEEP_MILLIS, id -> expireInFlight());
              return (PickerServer) this;
            })
        .onFailure(e -> close());
  }

  /**
   * Starts the plugins that hold resources (the KV-event subscriptions, the render client) with the
   * picker's Vert.x, every endpoint of the datastore and the pick clock; they stop when the picker
   * closes.
   */
  private void startPlugins(SchedulerConfig scheduling) {
    PluginResources resources =
        new PluginResources(
            vertx, KvEventSubscriptions.endpointsOf(datastore), options.getPick().getClock());
    for (PluginLifecycle plugin : scheduling.lifecycles()) {
      plugin.start(resources);
      if (plugin instanceof PrecisePrefixCacheProducer precise && precise.subscriptions() != null) {
        metrics.bind(new KvEventMetrics(precise.subscriptions(), precise.typedName().name()));
        metrics.bind(new PrecisePickMetrics(precise));
      }
      LOG.info("event=plugin_started plugin=" + plugin.typedName());
      pluginStops.add(plugin::stop);
    }
  }

  /**
   * The director, behind flow control when the config's feature gate or {@code --flow-control}
   * turns it on, behind the token rate limits (before flow control: a request over its budget is
   * refused at once rather than queued).
   */
  private PickService inProcessPicks(SchedulerConfig scheduling) {
    Director director = new Director(datastore, scheduling, inFlight, options.getPick());
    return rateLimited(flowControlled(scheduling, director));
  }

  /** The bridge's service of a pool with a foreign EPP behind the rate limits; null otherwise. */
  private PickService bridgedPool(PoolName pool) {
    PickService bridged = bridge.forPool(pool);
    return bridged == null ? null : rateLimited.around(bridged);
  }

  /**
   * Rate limits over {@code picks}: buckets in Redis when {@code --rate-limit-redis} names one,
   * else in memory; reservations settled from the completion feed.
   */
  private PickService rateLimited(PickService picks) {
    String redis = options.getRateLimit().getRedisUrl();
    rateLimitBuckets =
        redis == null
            ? new LocalBucketStore(options.getRateLimit().getClock())
            : new RedisBucketStore(vertx, redis, options.getRateLimit().getRedisTimeoutMs());
    RateLimiter limiter =
        new RateLimiter(() -> rateLimits, rateLimitBuckets, metrics, options.getRateLimit());
    rateLimited =
        new RateLimitedPickService(
            picks, limiter, options.getCompletionFeed().getInFlightExpiryMs());
    rateLimited.start(vertx);
    pickPathStops.add(rateLimited::close);
    completionListeners.add(rateLimited);
    LOG.info("event=rate_limits_ready store=" + (redis == null ? "memory" : "redis"));
    return rateLimited;
  }

  /** Connects to Redis before the first pick; a Redis that is down is logged, not fatal. */
  private Future<Void> warmUpRateLimitStore() {
    if (!(rateLimitBuckets instanceof RedisBucketStore redis)) {
      return Future.succeededFuture();
    }
    return redis
        .warmUp()
        .map(
            up -> {
              LOG.info(
                  "event=rate_limit_store_warm_up store=redis outcome="
                      + (up ? "ok" : "unreachable"));
              return null;
            });
  }

  /** Resolves the TokenRateLimitPolicies among {@code resources}; logs conditions that changed. */
  private void replaceRateLimits(List<HasMetadata> resources) {
    RateLimits resolved = RateLimitPolicyResolver.resolve(resources);
    java.util.Set<PolicyCondition> before = new java.util.HashSet<>(rateLimits.conditions());
    resolved.conditions().stream().filter(c -> !before.contains(c)).forEach(PolicyCondition::log);
    rateLimits = resolved;
  }

  private PickService flowControlled(SchedulerConfig scheduling, Director director) {
    if (!scheduling.flowControlEnabled() && !options.getFlowControl().isEnabled()) {
      return director;
    }
    FlowControlledPickService flowControl =
        new FlowControlledPickService(
            scheduling.flowControl(), director, options.getPick().getClock(), metrics);
    LOG.info(
        "event=flow_control_on request_ttl_ms="
            + scheduling.flowControl().requestTtlMillis()
            + " max_bytes="
            + scheduling.flowControl().maxBytes()
            + " bands="
            + scheduling.flowControl().bands().size());
    flowControl.start(vertx);
    pickPathStops.add(flowControl::close);
    completionListeners.add(flowControl);
    return flowControl;
  }

  /** The pick API on {@code pickThreads} event loops sharing one port. */
  private Future<Void> deployPickApi(PickApi api) {
    HttpServerOptions http =
        new HttpServerOptions()
            .setHost(options.getPickApi().getHost())
            .setPort(options.getPickApi().getPort())
            .setTcpNoDelay(true)
            .setMaxInitialLineLength(PickApiOptions.MAX_INITIAL_LINE_BYTES);
    ModelsApi models =
        new ModelsApi(
            new ModelCatalog(datastore), options.getPick().getClock(), ModelsApi.DEFAULT_CACHE_MS);
    return PickApiVerticle.deploy(vertx, api, models, http, options.getPickApi().getPickThreads())
        .onSuccess(
            deployment -> {
              pickApiDeployment = deployment.id();
              port = deployment.port();
              LOG.info(
                  "event=pick_api_listening port="
                      + port
                      + " event_loops="
                      + options.getPickApi().getPickThreads());
            })
        .mapEmpty();
  }

  /** The response relay, when it has a port, on as many event loops as the pick API. */
  private Future<Void> deployRelay() {
    if (options.getRelay().getPort() < 0) {
      return Future.succeededFuture();
    }
    relay =
        new ResponseRelay(
            vertx,
            datastore,
            bridge,
            metrics,
            options.getRelay(),
            options.getPickApi().getMaxBodyBytes());
    HttpServerOptions http =
        new HttpServerOptions()
            .setHost(options.getPickApi().getHost())
            .setPort(options.getRelay().getPort())
            .setTcpNoDelay(true);
    return RelayVerticle.deploy(vertx, relay, http, options.getPickApi().getPickThreads())
        .onSuccess(
            deployment -> {
              relayDeployment = deployment.id();
              relayPort = deployment.port();
              LOG.info(
                  "event=relay_listening port="
                      + relayPort
                      + " event_loops="
                      + options.getPickApi().getPickThreads());
            })
        .mapEmpty();
  }

  private Future<Void> listenFeed() {
    if (options.getCompletionFeed().getPort() < 0) {
      return Future.succeededFuture();
    }
    feed = new CompletionFeed(inFlight, List.copyOf(completionListeners));
    metrics.watch(feed);
    return feed.listen(vertx, options.getPickApi().getHost(), options.getCompletionFeed().getPort())
        .mapEmpty();
  }

  private Future<Void> listenExtProc(PickService picks) {
    if (options.getExtProc().getPort() < 0) {
      return Future.succeededFuture();
    }
    return ExtProcServer.start(vertx, options.getExtProc(), picks, metrics, datastore)
        .onSuccess(s -> extProcServer = s)
        .mapEmpty();
  }

  @Override
  public int relayPort() {
    return relayPort;
  }

  @Override
  public int extProcPort() {
    return extProcServer == null ? -1 : extProcServer.port();
  }

  private void expireInFlight() {
    int expired = inFlight.expire(options.getPick().getClock().millis());
    if (expired > 0) {
      LOG.fine("event=in_flight_expired count=" + expired);
    }
  }

  private static List<HasMetadata> readResources(PickerOptions options) {
    if (options.getResources() != null) {
      return options.getResources();
    }
    if (options.getManifestsFolder() == null) {
      throw new IllegalArgumentException("no manifests folder and no resources given");
    }
    return new ManifestReader().readFolder(Path.of(options.getManifestsFolder()));
  }

  /**
   * The config file when given, else the named preset; a bad config fails start-up with its
   * message.
   */
  private static SchedulerConfig schedulerConfig(PickerOptions options) {
    if (options.getPick().getSchedulerConfig() != null) {
      return options.getPick().getSchedulerConfig();
    }
    if (options.getPick().getSchedulerConfigFile() != null) {
      return new EndpointPickerConfigLoader(PluginRegistry.builtIn())
          .loadFile(Path.of(options.getPick().getSchedulerConfigFile()));
    }
    return EndpointPickerConfigLoader.preset(options.getPick().getSchedulerPreset());
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public int completionFeedPort() {
    return feed == null ? -1 : feed.port();
  }

  @Override
  public Future<Void> close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    pickPathStops.forEach(Runnable::run);
    if (kubernetesSource != null) {
      kubernetesSource.close();
    }
    if (ownedClient != null) {
      ownedClient.close();
    }
    Future<Void> feedClosed = feed == null ? Future.succeededFuture() : feed.close();
    Future<Void> extProcClosed =
        Future.join(
                extProcServer == null ? Future.succeededFuture() : extProcServer.close(),
                bridge == null ? Future.succeededFuture() : bridge.close())
            .mapEmpty();
    Future<Void> relayClosed =
        (relayDeployment == null ? Future.<Void>succeededFuture() : vertx.undeploy(relayDeployment))
            .eventually(() -> relay == null ? Future.succeededFuture() : relay.close());
    Future<Void> bucketsClosed =
        rateLimitBuckets == null ? Future.succeededFuture() : rateLimitBuckets.close();
    Future<Void> pluginsStopped =
        Future.join(pluginStops.stream().map(java.util.function.Supplier::get).toList()).mapEmpty();
    return Future.join(
            List.of(
                collector.close(),
                feedClosed,
                extProcClosed,
                relayClosed,
                pluginsStopped,
                bucketsClosed))
        .eventually(
            () ->
                pickApiDeployment == null
                    ? Future.succeededFuture()
                    : vertx.undeploy(pickApiDeployment))
        .mapEmpty();
  }
}
