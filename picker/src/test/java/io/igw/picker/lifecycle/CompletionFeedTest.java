package io.igw.picker.lifecycle;

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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The syslog completion feed through a real UDP socket, and the picker's /metrics. */
class CompletionFeedTest {
  Vertx vertx;
  PickerServer picker;
  PickClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    StubModelServer stub =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("m"));
    String yaml = Manifests.pool("p", stub.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    client = new PickClient(vertx, picker.port());
  }

  @AfterEach
  void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  int inFlight() {
    JsonObject pools =
        client
            .send(
                HttpMethod.GET, "/debug/pools", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toJsonObject();
    return pools
        .getJsonArray("pools")
        .getJsonObject(0)
        .getJsonArray("endpoints")
        .getJsonObject(0)
        .getInteger("inFlight");
  }

  private String metric(String reason) {
    String prefix = "igw_completion_feed_rejected_lines_total{reason=\"" + reason + "\"} ";
    return client
        .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
        .body()
        .toString()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElse("(absent)");
  }

  @Test
  void accessLogLineEndsTheRequestAndFeedsMetrics() throws Exception {
    // metrics label only models a pool serves: wait for the endpoint's model list
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                    .send(
                        HttpMethod.GET,
                        "/debug/pools",
                        Buffer.buffer(),
                        MultiMap.caseInsensitiveMultiMap())
                    .body()
                    .toString()
                    .contains("\"models\""));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", "req-42");
    PickClient.Answer answer = client.pick("default/p", "{\"model\":\"m\"}", headers);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(inFlight()).isEqualTo(1);
    String line =
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"req-42\",\"endpoint\":\""
            + answer.firstEndpoint()
            + "\",\"status\":\"200\",\"request_time\":\"0.300\",\"upstream_header_time\":\"0.020\"}";
    String injected =
        "<190>Nov 28 06:49:22 igw: {\"request_id\":\"other\",\"request_id\":\"req-42\"}";
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] data = "garbage\n".getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              data, data.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
      data = injected.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              data, data.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
      await().atMost(Duration.ofSeconds(5)).until(() -> metric("duplicate_key").equals("1.0"));
      assertThat(inFlight()).as("a line that repeats request_id ends nothing").isEqualTo(1);
      data = line.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              data, data.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> inFlight() == 0);
    // the in-flight count ends before the listeners run: wait for them too
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> scrape().contains("inference_objective_request_duration_seconds_count"));
    String metrics = scrape();
    assertThat(metrics)
        .contains("inference_objective_request_total{model_name=\"m\",target_model_name=\"m\"} 1.0")
        .contains(
            "inference_objective_request_duration_seconds_count{model_name=\"m\",target_model_name=\"m\"} 1")
        .contains("inference_objective_request_ttft_seconds_count")
        .contains("inference_pool_ready_pods{name=\"default/p\"} 1.0")
        .contains("inference_pool_average_kv_cache_utilization{name=\"default/p\"}")
        .contains("inference_pool_average_queue_size{name=\"default/p\"}")
        .contains("igw_completion_feed_rejected_lines_total{reason=\"malformed\"} 1.0");
    client.pick("default/nope", "{\"model\":\"m\"}");
    assertThat(
            client
                .send(
                    HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
                .body()
                .toString())
        .contains("inference_objective_request_error_total{error_code=\"pool_not_found\"");
  }

  private String scrape() {
    return client
        .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
        .body()
        .toString();
  }
}
