package io.igw.picker;

import io.igw.api.log.LogText;
import io.igw.picker.core.PickOptions;
import io.igw.picker.flowcontrol.FlowControlOptions;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The picker's command line: serves the pick API until SIGTERM. */
@Command(
    name = "igw-picker",
    mixinStandardHelpOptions = true,
    description = "igw endpoint picker: answers NGINX's pick subrequests.")
public final class PickerMain implements java.util.concurrent.Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(PickerMain.class.getName());
  private static final long STOP_TIMEOUT_SECONDS = 10;

  @Option(
      names = "--manifests",
      description = "folder of YAML manifests (InferencePools and Pods): local mode")
  String manifests;

  @Option(
      names = "--kubernetes",
      description = "read pools, pods, objectives, models and rewrites from Kubernetes")
  boolean kubernetes;

  @Option(
      names = "--namespace",
      description = "namespace watched in Kubernetes mode (default: all)")
  String namespace;

  @Option(names = "--host", description = "address of the pick API (default: ${DEFAULT-VALUE})")
  String host = PickApiOptions.DEFAULT_HOST;

  @Option(names = "--port", description = "port of the pick API (default: ${DEFAULT-VALUE})")
  int port = PickApiOptions.DEFAULT_PORT;

  @Option(
      names = "--scrape-interval-ms",
      description = "metrics scrape period (default: ${DEFAULT-VALUE})")
  long scrapeIntervalMs = CollectorOptions.DEFAULT_SCRAPE_INTERVAL_MS;

  @Option(
      names = "--models-interval-ms",
      description = "/v1/models poll period (default: ${DEFAULT-VALUE})")
  long modelsIntervalMs = CollectorOptions.DEFAULT_MODELS_INTERVAL_MS;

  @Option(
      names = "--pick-threads",
      description = "event loops serving the pick API (default: the processors, ${DEFAULT-VALUE})")
  int pickThreads = PickApiOptions.DEFAULT_PICK_THREADS;

  @Option(names = "--max-body-bytes", description = "largest pick body (default: ${DEFAULT-VALUE})")
  long maxBodyBytes = PickApiOptions.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--syslog-port",
      description = "UDP port of the NGINX access-log completion feed; off when unset")
  int syslogPort = CompletionFeedOptions.DEFAULT_PORT;

  @Option(
      names = "--config",
      description = "EndpointPickerConfig YAML file (default: the built-in preset)")
  String schedulerConfig;

  @Option(
      names = "--scheduler-preset",
      description =
          "built-in config: default, reference or reference-lora (default: ${DEFAULT-VALUE})")
  String schedulerPreset = PickOptions.DEFAULT_SCHEDULER_PRESET;

  @Option(
      names = "--token-accounting",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "add stream_options.include_usage to streams that did not ask for it (NGINX drops that"
              + " chunk again), so every stream reports its tokens (default: ${DEFAULT-VALUE})")
  boolean tokenAccounting;

  @Option(
      names = "--tenant-header",
      description =
          "request header naming the tenant of token accounting; without it, a hash of the bearer"
              + " token (default: ${DEFAULT-VALUE})")
  String tenantHeader = PickOptions.DEFAULT_TENANT_HEADER;

  @Option(
      names = "--max-tenant-labels",
      description =
          "distinct tenants labelled in igw_tokens_total; later ones count as other (default:"
              + " ${DEFAULT-VALUE})")
  int maxTenantLabels = PickOptions.DEFAULT_MAX_TENANT_LABELS;

  @Option(
      names = "--flow-control",
      description =
          "queue picks per priority while the pool is saturated (as the"
              + " config's flowControl feature gate; its flowControl section or the defaults)")
  boolean flowControl;

  // --- token rate limits (TokenRateLimitPolicy)

  @Option(
      names = "--rate-limit-redis",
      description =
          "Redis shared by the gateway replicas for token rate limits (redis://host:port[/db]);"
              + " unset: buckets in this picker's memory")
  String rateLimitRedis;

  @Option(
      names = "--rate-limit-redis-timeout-ms",
      description =
          "longest Redis call before it counts as a store failure (default: ${DEFAULT-VALUE})")
  long rateLimitRedisTimeoutMs = io.igw.picker.ratelimit.RateLimitOptions.DEFAULT_REDIS_TIMEOUT_MS;

  @Option(
      names = "--rate-limit-max-distinct-values",
      description =
          "buckets a \"*\" rule keeps per limit before new values share one (default: ${DEFAULT-VALUE})")
  int rateLimitMaxDistinctValues =
      io.igw.picker.ratelimit.RateLimitOptions.DEFAULT_MAX_DISTINCT_VALUES;

  // --- ext_proc (standard EPP protocol): server and bridge

  @Option(
      names = "--ext-proc-port",
      description =
          "port of the ext_proc gRPC server (standard EPP, with gRPC health);" + " off when unset")
  int extProcPort = io.igw.picker.extproc.ExtProcOptions.DEFAULT_PORT;

  @Option(
      names = "--ext-proc-pool",
      description =
          "pool (namespace/name) the ext_proc server picks for" + " (default: the only pool)")
  String extProcPool;

  @Option(
      names = "--ext-proc-cert",
      description = "PEM certificate: the ext_proc server speaks TLS")
  String extProcCert;

  @Option(names = "--ext-proc-key", description = "PEM private key of --ext-proc-cert")
  String extProcKey;

  @Option(
      names = "--picker-service",
      description =
          "igw's own picker Service: pools whose endpointPickerRef names"
              + " another are bridged to that EPP (default: ${DEFAULT-VALUE})")
  String pickerService = io.igw.picker.extproc.ExtProcOptions.DEFAULT_OWN_SERVICE;

  @Option(
      names = "--epp-tls",
      description =
          "how the bridge connects to foreign EPPs: verify, insecure-skip-verify"
              + " or plaintext (default: verify)")
  String eppTls = "verify";

  @Option(
      names = "--epp-insecure-pool",
      description =
          "a pool (namespace/name) whose EPP's TLS certificate is not"
              + " verified (self-signed test EPPs); repeatable")
  java.util.List<String> eppInsecurePools = new java.util.ArrayList<>();

  @Option(
      names = "--epp-trust",
      description = "PEM CA bundle for EPP certificates (default: the JVM's)")
  String eppTrust;

  @Option(
      names = "--epp-timeout-ms",
      description = "deadline of a bridged pick (default: ${DEFAULT-VALUE})")
  long eppTimeoutMs = io.igw.picker.extproc.ExtProcOptions.DEFAULT_PICK_TIMEOUT_MS;

  @Option(
      names = "--epp-response-timeout-ms",
      description =
          "how long a foreign EPP may take to answer the response"
              + " headers; the relay holds them that long at most (default: ${DEFAULT-VALUE})")
  long eppResponseTimeoutMs = io.igw.picker.extproc.ExtProcOptions.DEFAULT_SERVED_REPORT_TIMEOUT_MS;

  @Option(
      names = "--relay-port",
      description =
          "port of the response relay for bridged pools (the controller's"
              + " --epp-response-phase relay); off when unset")
  int relayPort = io.igw.picker.relay.RelayOptions.DEFAULT_PORT;

  @Option(names = "--log-level", description = "INFO, FINE, ... (default: ${DEFAULT-VALUE})")
  String logLevel = "INFO";

  public static void main(String[] args) {
    int code = new CommandLine(new PickerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    configureLogging(Level.parse(logLevel));
    if (kubernetes == (manifests != null)) {
      LOG.warning(
          "event=picker_start_failed error=\"give exactly one of --manifests and --kubernetes\"");
      return 2;
    }
    PickerOptions options = options();
    // more pick threads than Vert.x's default event loops get loops of their own
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(
                    Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, pickThreads)));
    AtomicReference<PickerServer> running = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    PickerServer.start(vertx, options)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                running.set(ar.result());
                LOG.info("event=picker_ready address=" + host + ":" + ar.result().port());
              } else {
                failure.set(ar.cause());
              }
              started.countDown();
            });
    started.await();
    if (failure.get() != null) {
      LOG.warning("event=picker_start_failed error=" + LogText.value(failure.get().getMessage()));
      vertx.close();
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(vertx, running.get()), "picker-stop"));
    return 0;
  }

  /**
   * The options the flags give, one object per concern ({@code --host} and {@code
   * --max-body-bytes}: both APIs).
   */
  PickerOptions options() {
    return new PickerOptions()
        .setManifestsFolder(manifests)
        .setKubernetes(kubernetes)
        .setKubernetesNamespace(namespace)
        .setPickApi(
            new PickApiOptions()
                .setHost(host)
                .setPort(port)
                .setPickThreads(pickThreads)
                .setMaxBodyBytes(maxBodyBytes))
        .setCollector(
            new CollectorOptions()
                .setScrapeIntervalMs(scrapeIntervalMs)
                .setModelsIntervalMs(modelsIntervalMs))
        .setCompletionFeed(new CompletionFeedOptions().setPort(syslogPort))
        .setPick(
            new PickOptions()
                .setSchedulerConfigFile(schedulerConfig)
                .setSchedulerPreset(schedulerPreset)
                .setTokenAccounting(tokenAccounting)
                .setTenantHeader(tenantHeader)
                .setMaxTenantLabels(maxTenantLabels))
        .setFlowControl(new FlowControlOptions().setEnabled(flowControl))
        .setRateLimit(
            new io.igw.picker.ratelimit.RateLimitOptions()
                .setRedisUrl(rateLimitRedis)
                .setRedisTimeoutMs(rateLimitRedisTimeoutMs)
                .setMaxDistinctValues(rateLimitMaxDistinctValues))
        .setExtProc(extProcOptions())
        .setRelay(new io.igw.picker.relay.RelayOptions().setPort(relayPort));
  }

  private io.igw.picker.extproc.ExtProcOptions extProcOptions() {
    io.igw.picker.extproc.ExtProcOptions ext =
        new io.igw.picker.extproc.ExtProcOptions()
            .setHost(host)
            .setMaxBodyBytes(maxBodyBytes)
            .setPort(extProcPort)
            .setPool(extProcPool)
            .setCertPath(extProcCert)
            .setKeyPath(extProcKey)
            .setOwnService(pickerService)
            .setEppTls(io.igw.picker.extproc.EppTls.parse(eppTls))
            .setEppTrustPath(eppTrust)
            .setPickTimeoutMs(eppTimeoutMs)
            .setServedReportTimeoutMs(eppResponseTimeoutMs);
    eppInsecurePools.forEach(ext::addInsecurePool);
    return ext;
  }

  private static void stop(Vertx vertx, PickerServer server) {
    logDuringShutdown("event=picker_stopping");
    CountDownLatch stopped = new CountDownLatch(1);
    server.close().eventually(vertx::close).onComplete(ar -> stopped.countDown());
    try {
      stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    logDuringShutdown("event=picker_stopped");
  }

  /** JUL resets its handlers in its own shutdown hook, so shutdown events are written directly. */
  private static void logDuringShutdown(String message) {
    System.out.print(
        new EventLogFormatter().format(new java.util.logging.LogRecord(Level.INFO, message)));
    System.out.flush();
  }

  static void configureLogging(Level level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler =
        new ConsoleHandler() {
          {
            setOutputStream(new PrintStream(System.out, true));
          }
        };
    handler.setFormatter(new EventLogFormatter());
    handler.setLevel(level);
    root.addHandler(handler);
    root.setLevel(level);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }
}
