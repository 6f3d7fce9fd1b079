package io.igw.picker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Least queue through the whole picker: the default profile's queue and KV scorers, over a real
 * socket.
 */
class LeastQueueTest {
  Vertx vertx;
  StubModelServer loaded;
  StubModelServer idle;
  PickerServer picker;
  PickClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    loaded =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setMetrics(StubModelServer.vllmMetrics(10, 4, 0.9));
    idle =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setMetrics(StubModelServer.vllmMetrics(0, 1, 0.1));
    String yaml =
        Manifests.pool("p", loaded.port(), idle.port())
            + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(
                        new CollectorOptions().setScrapeIntervalMs(100).setScrapeTimeoutMs(300))));
    client = new PickClient(vertx, picker.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .send(
                            io.vertx.core.http.HttpMethod.GET,
                            "/debug/pools",
                            io.vertx.core.buffer.Buffer.buffer(),
                            io.vertx.core.MultiMap.caseInsensitiveMultiMap())
                        .body()
                        .toString()
                        .split("\"metrics\"", -1)
                        .length
                    == 3);
  }

  @AfterEach
  void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  @Test
  void lessLoadedServerWins() {
    String idleAddress = "127.0.0.1:" + idle.port();
    String loadedAddress = "127.0.0.1:" + loaded.port();
    PickClient.Answer first = client.pick("default/p", "{\"model\":\"base\",\"prompt\":\"first\"}");
    assertThat(first.endpoint()).isEqualTo(idleAddress + "," + loadedAddress);
    for (int i = 0; i < 5; i++) {
      String body = "{\"model\":\"base\",\"prompt\":\"distinct " + i + "\"}";
      assertThat(client.pick("default/p", body).firstEndpoint()).isEqualTo(idleAddress);
    }
  }
}
