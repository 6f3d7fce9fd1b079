package io.igw.picker.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny model-server stand-in: {@code /metrics} with vLLM names and {@code /v1/models}, both
 * settable.
 */
public final class StubModelServer {
  private final HttpServer server;
  private volatile String metrics = vllmMetrics(0, 0, 0.0);
  private volatile String models;
  private final AtomicInteger scrapes = new AtomicInteger();
  private final AtomicInteger scrapesInFlight = new AtomicInteger();
  private final AtomicInteger maxScrapesInFlight = new AtomicInteger();
  private volatile long metricsDelayMs;

  private StubModelServer(HttpServer server) {
    this.server = server;
  }

  public static Future<StubModelServer> start(Vertx vertx, String host, int port) {
    StubModelServer[] holder = new StubModelServer[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  StubModelServer stub = holder[0];
                  switch (req.path()) {
                    case "/metrics" -> {
                      stub.scrapes.incrementAndGet();
                      stub.maxScrapesInFlight.accumulateAndGet(
                          stub.scrapesInFlight.incrementAndGet(), Math::max);
                      Runnable answer =
                          () -> {
                            stub.scrapesInFlight.decrementAndGet();
                            req.response()
                                .putHeader("content-type", "text/plain")
                                .end(stub.metrics);
                          };
                      if (stub.metricsDelayMs > 0) {
                        vertx.setTimer(stub.metricsDelayMs, id -> answer.run());
                      } else {
                        answer.run();
                      }
                    }
                    case "/v1/models" -> {
                      if (stub.models == null) {
                        req.response().setStatusCode(404).end();
                      } else {
                        req.response()
                            .putHeader("content-type", "application/json")
                            .end(stub.models);
                      }
                    }
                    default -> req.response().setStatusCode(404).end();
                  }
                });
    holder[0] = new StubModelServer(server);
    return server.listen(port, host).map(s -> holder[0]);
  }

  public int port() {
    return server.actualPort();
  }

  public int scrapes() {
    return scrapes.get();
  }

  /** The most {@code /metrics} requests this server had in progress at once. */
  public int maxScrapesInFlight() {
    return maxScrapesInFlight.get();
  }

  /** Answers {@code /metrics} this long after the request (a slow server). */
  public StubModelServer setMetricsDelayMs(long delayMs) {
    this.metricsDelayMs = delayMs;
    return this;
  }

  public StubModelServer setMetrics(String text) {
    this.metrics = text;
    return this;
  }

  public StubModelServer setModels(List<String> ids) {
    JsonArray data = new JsonArray();
    ids.forEach(id -> data.add(new JsonObject().put("id", id).put("object", "model")));
    this.models = new JsonObject().put("object", "list").put("data", data).encode();
    return this;
  }

  public Future<Void> close() {
    return server.close();
  }

  public static String vllmMetrics(int waiting, int running, double kv) {
    return """
        # HELP vllm:num_requests_waiting Number of requests waiting.
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{model_name="base"} %d.0
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{model_name="base"} %d.0
        # TYPE vllm:kv_cache_usage_perc gauge
        vllm:kv_cache_usage_perc{model_name="base"} %s
        """
        .formatted(waiting, running, Double.toString(kv));
  }
}
