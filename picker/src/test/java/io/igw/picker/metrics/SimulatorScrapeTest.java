package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collector against the real simulator (tests/simulator): its /metrics and /v1/models as vLLM
 * writes them.
 */
class SimulatorScrapeTest {
  Vertx vertx;
  SimulatorServer withLora;
  SimulatorServer baseOnly;
  PickerServer picker;
  PickClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    withLora =
        Await.result(
            SimulatorServer.start(
                vertx, new SimulatorOptions().setModel("base").addLora("sql-lora")));
    baseOnly = Await.result(SimulatorServer.start(vertx, new SimulatorOptions().setModel("base")));
    String yaml =
        Manifests.pool("p", withLora.port(), baseOnly.port())
            + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(new CollectorOptions().setModelsIntervalMs(100))));
    client = new PickClient(vertx, picker.port());
  }

  @AfterEach
  void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  JsonArray endpoints() {
    return client
        .send(HttpMethod.GET, "/debug/pools", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
        .body()
        .toJsonObject()
        .getJsonArray("pools")
        .getJsonObject(0)
        .getJsonArray("endpoints");
  }

  @Test
  void readsTheSimulatorsMetricsAndModelsAndRoutesTheAdapter() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                endpoints().stream()
                    .allMatch(
                        e ->
                            ((JsonObject) e).containsKey("metrics")
                                && ((JsonObject) e).containsKey("models")));
    for (Object e : endpoints()) {
      JsonObject endpoint = (JsonObject) e;
      assertThat(endpoint.getJsonObject("metrics").getInteger("badLines"))
          .as("lines the parser skipped")
          .isZero();
      assertThat(endpoint.getJsonArray("models").getList()).contains("base");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(
              client
                  .pick("default/p", "{\"model\":\"sql-lora\",\"prompt\":\"q" + i + "\"}")
                  .endpoint())
          .isEqualTo("127.0.0.1:" + withLora.port());
    }
    assertThat(client.pick("default/p", "{\"model\":\"nope\"}").status()).isEqualTo(404);
  }
}
