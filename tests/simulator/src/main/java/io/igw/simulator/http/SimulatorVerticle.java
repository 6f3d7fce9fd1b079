package io.igw.simulator.http;

import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.engine.RealTimeEngine;
import io.igw.simulator.faults.FaultInjector;
import io.igw.simulator.faults.FaultPlan;
import io.igw.simulator.kvevents.KvEventEncoding;
import io.igw.simulator.kvevents.KvEventsConfig;
import io.igw.simulator.kvevents.ZmqEventPublisher;
import io.igw.simulator.log.EventLog;
import io.igw.simulator.metrics.MetricsFormat;
import io.igw.simulator.metrics.PrometheusText;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A simulated vLLM server: owns its router, its engine and its HTTP server, all on one context.
 * Started through {@code SimulatorServer.start}, which hands out its port, host, name and close.
 */
public final class SimulatorVerticle extends VerticleBase {

  public static final String SERVED_BY_HEADER = "x-igw-served-by";
  public static final String REQUEST_ID_HEADER = "x-request-id";

  private final SimulatorOptions options;
  private ServerState state;
  private HttpServer server;
  private ZmqEventPublisher kvEvents;

  public SimulatorVerticle(SimulatorOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    try {
      state = createState();
      kvEvents = startKvEvents();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .createHttpServer(
            new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
        .requestHandler(router())
        .listen()
        .onSuccess(this::announce)
        .onFailure(e -> closeKvEvents());
  }

  @Override
  public Future<?> stop() {
    if (state != null) {
      state.engine.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(this::closeKvEvents);
  }

  /** The port it listens on (the real one when the options asked for 0). */
  public int port() {
    return server.actualPort();
  }

  public String host() {
    return options.getHost();
  }

  public String name() {
    return state.name;
  }

  /**
   * The KV events PUB socket's address (its real port), or null when the server publishes no KV
   * events.
   */
  public String kvEventsEndpoint() {
    return kvEvents == null ? null : kvEvents.endpoint();
  }

  /** The KV events replay socket's address, or null without one. */
  public String kvEventsReplayEndpoint() {
    return kvEvents == null ? null : kvEvents.replayEndpoint();
  }

  /** Undeploys it: the server closes, the engine stops. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentID());
  }

  private ServerState createState() {
    EngineProfile profile = EngineProfile.named(options.getProfile());
    if (options.getNumGpuBlocks() <= 0) {
      options.setNumGpuBlocks(profile.numGpuBlocks());
    }
    if (options.getMaxNumSeqs() <= 0) {
      options.setMaxNumSeqs(profile.maxNumSeqs());
    }
    EngineConfig config =
        new EngineConfig(
            profile,
            options.getMaxNumSeqs(),
            options.getMaxNumBatchedTokens(),
            options.getMaxLoras(),
            options.getBlockSize(),
            options.getNumGpuBlocks(),
            options.isPrefixCaching());
    FaultPlan faults = FaultPlan.fromJson(options.getFaults(), FaultPlan.NONE);
    return new ServerState(
        options,
        new RealTimeEngine(vertx, config, options.getTimeScale()),
        new FaultInjector(faults, options.getSeed()),
        new ServedModels(options.getModel(), options.getLoras(), System.currentTimeMillis() / 1000),
        MetricsFormat.named(options.getMetricsFlavor()));
  }

  /**
   * vLLM's ZMQ publisher when --kv-events-config enables it; the engine then hands it every step's
   * events.
   */
  private ZmqEventPublisher startKvEvents() {
    KvEventsConfig config =
        options.getKvEventsConfig() == null
            ? KvEventsConfig.DISABLED
            : KvEventsConfig.fromJson(options.getKvEventsConfig());
    KvEventEncoding encoding = KvEventEncoding.named(options.getKvEventsEncoding());
    if (!config.publishes()) {
      return null;
    }
    String name = options.getName() != null ? options.getName() : options.getHost();
    ZmqEventPublisher publisher =
        ZmqEventPublisher.start(config, encoding, options.getHost(), name);
    state.engine.setKvEventListener(publisher::publish);
    return publisher;
  }

  /** The publisher's thread stops within a few milliseconds; the join runs off the event loop. */
  private Future<Void> closeKvEvents() {
    ZmqEventPublisher publisher = kvEvents;
    kvEvents = null;
    if (publisher == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(
        () -> {
          publisher.close();
          return null;
        });
  }

  private void announce(HttpServer listening) {
    server = listening;
    String address = options.getHost() + ":" + listening.actualPort();
    state.name = options.getName() != null ? options.getName() : address;
    EventLog.info(
        "simulator_ready",
        "name",
        state.name,
        "address",
        address,
        "model",
        options.getModel(),
        "loras",
        String.join(",", options.getLoras()),
        "profile",
        options.getProfile(),
        "tokenizer",
        state.renderer.tokenizer().name(),
        "chat_template",
        state.renderer.template().id(),
        "time_scale",
        options.getTimeScale());
  }

  private Router router() {
    GenerationHandler generation = new GenerationHandler(state);
    AdminHandler admin = new AdminHandler(state);
    RenderHandler render = new RenderHandler(state);
    Router router = Router.router(vertx);
    router.route().handler(this::addServedBy);
    router.post().handler(BodyHandler.create());
    router.post("/v1/completions").handler(ctx -> generation.handle(ctx, RequestKind.COMPLETION));
    router.post("/v1/chat/completions").handler(ctx -> generation.handle(ctx, RequestKind.CHAT));
    router.post("/v1/embeddings").handler(ctx -> generation.handle(ctx, RequestKind.EMBEDDING));
    router.post("/v1/completions/render").handler(render::handleCompletionRender);
    router.post("/v1/chat/completions/render").handler(render::handleChatRender);
    router.post("/tokenize").handler(render::handleTokenize);
    router.post("/detokenize").handler(render::handleDetokenize);
    router.get("/v1/models").handler(this::handleModels);
    router.get("/health").handler(this::handleHealth);
    router.get("/metrics").handler(this::handleMetrics);
    router.get("/admin/config").handler(admin::handleGet);
    router.post("/admin/config").handler(admin::handlePost);
    router.post("/v1/load_lora_adapter").handler(admin::handleLoadLora);
    router.post("/v1/unload_lora_adapter").handler(admin::handleUnloadLora);
    router.route().failureHandler(this::handleFailure);
    return router;
  }

  private void addServedBy(RoutingContext ctx) {
    ctx.response().putHeader(SERVED_BY_HEADER, state.name);
    // As vLLM with --enable-request-id-headers: the request's x-request-id comes back on the
    // answer.
    String requestId = ctx.request().getHeader(REQUEST_ID_HEADER);
    if (requestId != null) {
      ctx.response().putHeader(REQUEST_ID_HEADER, requestId);
    }
    ctx.next();
  }

  private void handleHealth(RoutingContext ctx) {
    if (!state.faults.ready()) {
      throw ApiError.unavailable("The server is still starting.");
    }
    ctx.response().end();
  }

  private void handleModels(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .end(state.served.toModelList().encode());
  }

  private void handleMetrics(RoutingContext ctx) {
    String text =
        state.metricsFormat.render(
            options.getModel(), state.engine.snapshot(), System.currentTimeMillis() / 1000.0);
    ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text);
  }

  private void handleFailure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    ApiError error = ctx.failure() instanceof ApiError apiError ? apiError : fromStatus(ctx);
    if (error.status() >= 500 && !(ctx.failure() instanceof ApiError)) {
      EventLog.warn(
          "request_failed",
          "server",
          state.name,
          "status",
          error.status(),
          "path",
          ctx.request().path(),
          "error",
          error.getMessage());
    }
    response
        .setStatusCode(error.status())
        .putHeader(SERVED_BY_HEADER, String.valueOf(state.name))
        .putHeader("content-type", "application/json")
        .end(error.toJson().encode());
  }

  private static ApiError fromStatus(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    Throwable failure = ctx.failure();
    String message =
        failure != null && failure.getMessage() != null ? failure.getMessage() : "HTTP " + status;
    return status == 500
        ? ApiError.internal(message)
        : new ApiError(status, "BadRequestError", message);
  }
}
