package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that several pools select is one server: the collector polls it once per round and every
 * pool's state gets the answer. (Polled once per pool, a slow server's polls overflowed the
 * client's per-server wait queue and every pool saw it as failing.)
 */
class SharedServerScrapeTest {
  static final int POOLS = 8;
  Vertx vertx = Vertx.vertx();
  PickerServer picker;

  @AfterEach
  void stop() {
    if (picker != null) {
      Await.result(picker.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aServerInManyPoolsIsScrapedOnceAtATimeAndEveryPoolSeesIt() {
    StubModelServer stub =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setMetrics(StubModelServer.vllmMetrics(3, 1, 0.25))
            .setModels(java.util.List.of("base"))
            .setMetricsDelayMs(150);
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < POOLS; i++) {
      yaml.append(
          Manifests.pool("p" + i, stub.port()).replace("{app: p" + i + "}", "{app: shared}"));
    }
    yaml.append(Manifests.pod("shared", "shared", "127.0.0.1", true));
    String manifests = yaml.toString();
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(manifests))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(new CollectorOptions().setScrapeIntervalMs(10))));
    PickClient client = new PickClient(vertx, picker.port());
    await().atMost(Duration.ofSeconds(10)).until(() -> stub.scrapes() >= 5);
    var pools =
        client
            .send(
                HttpMethod.GET, "/debug/pools", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toJsonObject()
            .getJsonArray("pools");
    assertThat(pools).hasSize(POOLS);
    for (Object pool : pools) {
      var endpoints = ((JsonObject) pool).getJsonArray("endpoints");
      assertThat(endpoints).as("pool " + pool).hasSize(1);
      assertThat(endpoints.getJsonObject(0).getJsonObject("metrics").getLong("waiting"))
          .isEqualTo(3);
    }
    assertThat(stub.maxScrapesInFlight()).isEqualTo(1);
  }
}
