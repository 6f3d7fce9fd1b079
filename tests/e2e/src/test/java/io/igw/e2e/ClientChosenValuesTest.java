package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Values a client chooses (x-request-id, the subset hint header, model names) steer nothing through
 * real NGINX: accounting keys on NGINX's own $request_id, the subset comes only from the gateway,
 * metric labels stay bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientChosenValuesTest {
  private GatewayStack stack;
  private int port;

  @BeforeAll
  void start() throws Exception {
    stack = GatewayStack.start(new GatewayStack.Options().loras(List.of(List.of(), List.of())));
    port = stack.gatewayPort();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              var r = Http.post(port, "/v1/completions", Http.completion("no-such-model", 1));
              // until the picker has the servers' model lists, the server itself answers (in vLLM's
              // shape)
              return r.statusCode() == 404 && r.body().contains("\"model_not_found\"");
            });
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aClientRequestIdEndsNothingButItsOwnRequest() throws Exception {
    String body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "long")
            .put("max_tokens", 4000)
            .put("stream", true)
            .encode();
    HttpResponse<Stream<String>> victim = Http.postStreaming(port, "/v1/completions", body);
    assertThat(victim.statusCode()).isEqualTo(200);
    // the client sent no x-request-id: the model server got NGINX's $request_id, and echoes it
    String victimId = victim.headers().firstValue("x-request-id").orElseThrow();
    assertThat(victimId).matches("[0-9a-f]{32}");
    try (Stream<String> lines = victim.body()) {
      Iterator<String> it = lines.iterator();
      assertThat(it.next()).startsWith("data:");
      await().atMost(Duration.ofSeconds(5)).until(() -> inFlightAtPicker() == 1);
      List<String> hostile =
          List.of(
              victimId,
              "a request_id=" + victimId,
              "a\" request_id=\"" + victimId,
              "\",\"request_id\":\"" + victimId + "\",\"x\":\"",
              "\\\"" + victimId,
              "  " + victimId + "  ",
              "x\trequest_id=" + victimId,
              "\u00e9 request_id=" + victimId);
      long linesBefore = metric("igw_completion_feed_lines_total");
      for (String id : hostile) {
        var response =
            Http.post(
                port,
                "/v1/completions",
                Http.completion(BASE_MODEL, 1),
                Map.of("x-request-id", id, "x-igw-request-id", victimId));
        assertThat(response.statusCode()).as(id).isEqualTo(200);
        // forwarded unchanged; the echo's HTTP stack turns a tab into a space and does not keep
        // non-ASCII bytes
        if (id.chars().allMatch(c -> c < 0x7f)) {
          assertThat(response.headers().firstValue("x-request-id"))
              .as(id)
              .hasValueSatisfying(
                  v -> assertThat(v.strip()).isEqualTo(id.strip().replace('\t', ' ')));
        }
      }
      // every hostile request's own line arrived and parsed, and none of them ended the victim
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric("igw_completion_feed_lines_total") >= linesBefore + hostile.size());
      assertThat(inFlightAtPicker()).isEqualTo(1);
      assertThat(metric("igw_completion_feed_rejected_lines_total{reason=\"duplicate_key\"}"))
          .isZero();
      assertThat(metric("igw_completion_feed_rejected_lines_total{reason=\"malformed\"}")).isZero();
    }
    // the victim's own line (the client went away) ends it
    await().atMost(Duration.ofSeconds(10)).until(() -> inFlightAtPicker() == 0);
  }

  @Test
  void aSubsetHeaderFromTheClientHasNoEffect() throws Exception {
    for (String subset : List.of("127.9.19.9:1", GatewayStack.serverIp(0) + ":1")) {
      var response =
          Http.post(
              port,
              "/v1/completions",
              Http.completion(BASE_MODEL, 1),
              Map.of("x-gateway-destination-endpoint-subset", subset));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
  }

  @Test
  void modelNamesThePoolDoesNotServeShareOneMetricLabel() throws Exception {
    String hostile = "evil\"} 1\ninference_objective_request_total{model_name=\"x";
    var response = Http.post(port, "/v1/completions", Http.completion(hostile, 1));
    assertThat(response.statusCode()).isEqualTo(404);
    for (int i = 0; i < 20; i++) {
      Http.post(port, "/v1/completions", Http.completion("made-up-" + i, 1));
    }
    String metrics = Http.get("http://127.0.0.1:" + stack.pickerPort() + "/metrics").body();
    assertThat(metrics)
        .doesNotContain("evil", "made-up-", "model_name=\"x\"")
        .contains(
            "inference_objective_request_error_total{error_code=\"model_not_found\",model_name=\"other\"");
    assertThat(Http.post(port, "/v1/completions", Http.completion(BASE_MODEL, 1)).statusCode())
        .isEqualTo(200);
    assertThat(Http.get("http://127.0.0.1:" + stack.pickerPort() + "/metrics").body())
        .contains("inference_objective_request_total{model_name=\"" + BASE_MODEL + "\"");
  }

  private long inFlightAtPicker() throws Exception {
    JsonObject pools =
        new JsonObject(Http.get("http://127.0.0.1:" + stack.pickerPort() + "/debug/pools").body());
    return pools.getJsonArray("pools").stream()
        .map(JsonObject.class::cast)
        .flatMap(p -> p.getJsonArray("endpoints").stream().map(JsonObject.class::cast))
        .mapToLong(e -> e.getLong("inFlight", 0L))
        .sum();
  }

  /** The value of one sample ({@code name} or {@code name{labels}}), 0 when absent. */
  private long metric(String sample) throws Exception {
    String prefix = sample + " ";
    return Http.get("http://127.0.0.1:" + stack.pickerPort() + "/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length())))
        .findFirst()
        .orElse(0L);
  }
}
