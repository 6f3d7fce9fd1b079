package io.igw.simulator;

import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts one simulator on an ephemeral port per test and gives blocking helpers to talk to it. */
@ExtendWith(VertxExtension.class)
abstract class SimulatorHttpTest {

  static final String BASE = SimulatorOptions.DEFAULT_MODEL;

  Vertx vertx;
  SimulatorServer server;
  WebClient client;

  SimulatorOptions options() {
    return new SimulatorOptions()
        .setLoras(List.of("food-review-1", "sql-lora"))
        .setName("sim-under-test");
  }

  @BeforeEach
  void startServer(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = join(SimulatorServer.start(vertx, options()));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stopServer() throws Exception {
    client.close();
    join(server.close());
  }

  HttpResponse<Buffer> post(String path, String body) throws Exception {
    return join(client.post(server.port(), "127.0.0.1", path).sendBuffer(Buffer.buffer(body)));
  }

  HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return post(path, body.encode());
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return join(client.get(server.port(), "127.0.0.1", path).send());
  }

  /** Sends a request and returns the client that holds it open; closing the client abandons it. */
  HttpClient sendAndHold(JsonObject body) throws Exception {
    HttpClient holder = vertx.createHttpClient(new HttpClientOptions());
    join(
        holder
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(server.port())
                    .setURI("/v1/completions"))
            .compose(req -> req.end(body.encode())));
    return holder;
  }

  static <T> T join(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static double metric(String metricsText, String name) {
    return metricsText
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }
}
