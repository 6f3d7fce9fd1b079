package io.igw.simulator.http;

import io.igw.simulator.EventLog;
import io.igw.simulator.SimulatorOptions;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.engine.Engine;
import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationRequest;
import io.igw.simulator.engine.RealTimeEngine;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.SubmittedRequest;
import io.igw.simulator.metrics.MetricsFormat;
import io.igw.simulator.metrics.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.atomic.AtomicLong;

/** A simulated vLLM server: owns its router, its engine and its HTTP server, all on one context. */
public final class SimulatorVerticle extends VerticleBase implements SimulatorServer {

  public static final String SERVED_BY_HEADER = "x-igw-served-by";

  private static final AtomicLong REQUEST_COUNTER = new AtomicLong();

  private final SimulatorOptions options;
  private ServedModels served;
  private Engine engine;
  private MetricsFormat metricsFormat;
  private HttpServer server;
  private String name;

  public SimulatorVerticle(SimulatorOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    EngineProfile profile = EngineProfile.named(options.getProfile());
    served = new ServedModels(options.getModel(), options.getLoras(), System.currentTimeMillis() / 1000);
    metricsFormat = MetricsFormat.named(options.getMetricsFlavor());
    int blocks = options.getNumGpuBlocks() > 0 ? options.getNumGpuBlocks() : profile.numGpuBlocks();
    EngineConfig config = new EngineConfig(profile, options.getMaxNumSeqs(), options.getMaxNumBatchedTokens(),
        options.getMaxLoras(), options.getBlockSize(), blocks, options.isPrefixCaching());
    engine = new RealTimeEngine(vertx, config, options.getTimeScale());
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
        .requestHandler(router())
        .listen()
        .onSuccess(this::announce);
  }

  @Override
  public Future<?> stop() {
    if (engine != null) {
      engine.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public String host() {
    return options.getHost();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> close() {
    return vertx.undeploy(deploymentID());
  }

  private void announce(HttpServer listening) {
    server = listening;
    String address = options.getHost() + ":" + listening.actualPort();
    name = options.getName() != null ? options.getName() : address;
    EventLog.log("simulator ready", "name", name, "address", address, "model", options.getModel(),
        "loras", String.join(",", options.getLoras()), "profile", options.getProfile());
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::addServedBy);
    router.post().handler(BodyHandler.create());
    router.post("/v1/completions").handler(ctx -> handleGeneration(ctx, RequestKind.COMPLETION));
    router.post("/v1/chat/completions").handler(ctx -> handleGeneration(ctx, RequestKind.CHAT));
    router.get("/v1/models").handler(this::handleModels);
    router.get("/health").handler(ctx -> ctx.response().end());
    router.get("/metrics").handler(this::handleMetrics);
    router.route().failureHandler(this::handleFailure);
    return router;
  }

  private void addServedBy(RoutingContext ctx) {
    ctx.response().putHeader(SERVED_BY_HEADER, name);
    ctx.next();
  }

  private void handleModels(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(served.toModelList().encode());
  }

  private void handleMetrics(RoutingContext ctx) {
    String text = metricsFormat.render(options.getModel(), engine.snapshot(), System.currentTimeMillis() / 1000.0);
    ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text);
  }

  private void handleGeneration(RoutingContext ctx, RequestKind kind) {
    InferenceRequest request = InferenceRequestParser.parse(kind, ctx.body().buffer());
    String model = request.model() == null ? served.baseModel() : request.model();
    if (!served.serves(model)) {
      throw ApiError.modelNotFound(model);
    }
    String id = kind.idPrefix() + Long.toHexString(System.nanoTime()) + REQUEST_COUNTER.incrementAndGet();
    int outputTokens = request.maxTokens() != null ? request.maxTokens() : options.getDefaultMaxTokens();
    outputTokens = Math.max(outputTokens, request.minTokens());
    GenerationRequest generation = new GenerationRequest(id, served.adapterOf(model), request.prompt(),
        request.promptTokens(), outputTokens, "length");
    long seed = request.seed() != null ? request.seed() : options.getSeed() ^ id.hashCode();
    ResponseBodies bodies = new ResponseBodies(kind, id, model, System.currentTimeMillis() / 1000);
    HttpServerResponse response = ctx.response();
    GenerationListener listener;
    if (request.stream()) {
      StreamingResponder streaming = new StreamingResponder(response, bodies, new TokenText(seed), kind,
          outputTokens, generation.finishReason(), request.includeUsage());
      streaming.start();
      listener = streaming;
    } else {
      listener = new BufferedResponder(response, bodies, new TokenText(seed));
    }
    SubmittedRequest submitted = engine.submit(generation, listener);
    response.closeHandler(v -> submitted.cancel());
  }

  private void handleFailure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    ApiError error = ctx.failure() instanceof ApiError apiError ? apiError : fromStatus(ctx);
    if (error.status() >= 500) {
      EventLog.log("request failed", "server", name, "status", error.status(), "path", ctx.request().path(),
          "error", error.getMessage());
    }
    response.setStatusCode(error.status())
        .putHeader(SERVED_BY_HEADER, String.valueOf(name))
        .putHeader("content-type", "application/json")
        .end(error.toJson().encode());
  }

  private static ApiError fromStatus(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    Throwable failure = ctx.failure();
    String message = failure != null && failure.getMessage() != null ? failure.getMessage()
        : "HTTP " + status;
    return status == 500 ? ApiError.internal(message) : new ApiError(status, "BadRequestError", message);
  }
}
