package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One OpenAI request routed by model through real NGINX, njs and the picker to simulated vLLM
 * servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceRoutingTest {
  private static final String LORA = "food-review-1";
  private GatewayStack stack;
  private int port;

  @BeforeAll
  void start() throws Exception {
    // servers 0 and 1 have the adapter, server 2 only the base model
    stack =
        GatewayStack.start(
            new GatewayStack.Options().loras(List.of(List.of(LORA), List.of(LORA), List.of())));
    port = stack.gatewayPort();
  }

  @Test
  void anUnknownModelIsRefusedByThePickerOnceItKnowsTheServersModels() throws Exception {
    // GatewayStack waits for the picker's first complete view, so the model lists are known from
    // the first request
    var r = Http.post(port, "/v1/completions", Http.completion("no-such-model", 1));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.openAiError(r).getString("code")).isEqualTo("model_not_found");
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void baseModelIsServed() throws Exception {
    var response = Http.post(port, "/v1/completions", Http.completion(BASE_MODEL, 4));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.servedBy(response)).startsWith("server-");
    assertThat(new JsonObject(response.body()).getString("model")).isEqualTo(BASE_MODEL);
  }

  @Test
  void loraRequestsOnlyReachServersWithTheAdapter() throws Exception {
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      var response = Http.post(port, "/v1/completions", Http.completion(LORA, 2));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      servedBy.add(Http.servedBy(response));
    }
    assertThat(servedBy).isNotEmpty().isSubsetOf("server-0", "server-1");
  }

  @Test
  void chatCompletionsAreRoutedToo() throws Exception {
    String body =
        new JsonObject()
            .put("model", LORA)
            .put("max_tokens", 3)
            .put("messages", List.of(Map.of("role", "user", "content", "hi")))
            .encode();
    var response = Http.post(port, "/v1/chat/completions", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.servedBy(response)).isIn("server-0", "server-1");
  }

  @Test
  void unknownModelIsNotFoundWithAnOpenAiError() throws Exception {
    var response = Http.post(port, "/v1/completions", Http.completion("gpt-imaginary", 1));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Http.openAiError(response).getString("code")).isEqualTo("model_not_found");
  }

  @Test
  void bodylessGetIsRoutedToAReadyEndpoint() throws Exception {
    var response = Http.get("http://127.0.0.1:" + port + "/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.servedBy(response)).startsWith("server-");
  }

  @Test
  void theModelListIsTheGatewaysOwnNotOneServers() throws Exception {
    var response = Http.get("http://127.0.0.1:" + port + "/v1/models");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.servedBy(response)).isEqualTo("(none)");
    assertThat(new JsonObject(response.body()).getJsonArray("data").stream())
        .map(o -> ((JsonObject) o).getString("id"))
        .containsExactly(BASE_MODEL, LORA);
  }

  @Test
  void spoofedDestinationHeaderIsIgnored() throws Exception {
    String server2 = stack.serverAddress(2);
    for (int i = 0; i < 10; i++) {
      var response =
          Http.post(
              port,
              "/v1/completions",
              Http.completion(LORA, 1),
              Map.of("x-gateway-destination-endpoint", server2));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Http.servedBy(response)).isIn("server-0", "server-1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "invalid JSON        | {\"model\": \"x\"    | 400 | invalid_json",
        "model is a number   | {\"model\": 42}      | 400 | invalid_model",
        "model is an object  | {\"model\": {}}      | 400 | invalid_model",
        "model is empty      | {\"model\": \"\"}    | 400 | invalid_model",
        "body is an array    | [1, 2, 3]            | 400 | invalid_body",
        "body is a string    | \"hello\"            | 400 | invalid_body",
      })
  void badBodiesGetAnOpenAiError(String name, String body, int status, String code)
      throws Exception {
    var response = Http.post(port, "/v1/completions", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(Http.openAiError(response).getString("code")).isEqualTo(code);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "multipart/form-data; boundary=x     | 415",
        "application/x-www-form-urlencoded   | 415",
        "text/plain                          | 415",
        "application/json; charset=utf-8     | 200",
        "application/vnd.openai+json         | 200",
      })
  void aJsonBodyIsRoutedOnlyWhenSentAsJson(String contentType, int status) throws Exception {
    // the model server reads the body by its content type: the gateway must not route by a model it
    // will not see
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                    .header("content-type", contentType)
                    .timeout(Duration.ofSeconds(30))
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            Http.completion(BASE_MODEL, 1)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    if (status == 415) {
      assertThat(Http.openAiError(response).getString("code")).isEqualTo("unsupported_media_type");
    }
  }

  @Test
  void bodyOverTheLimitIs413WithAnOpenAiError() throws Exception {
    String big =
        new JsonObject().put("model", BASE_MODEL).put("prompt", "x".repeat(70_000)).encode();
    var response = Http.post(port, "/v1/completions", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Http.openAiError(response).getString("code")).isEqualTo("body_too_large");
  }

  @Test
  void streamedChunksReachTheClientWhileTheServerIsStillGenerating() throws Exception {
    String body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "count")
            .put("max_tokens", 60)
            .put("stream", true)
            .encode();
    HttpResponse<Stream<String>> response = Http.postStreaming(port, "/v1/completions", body);
    assertThat(response.statusCode()).isEqualTo(200);
    String server = Http.servedBy(response);
    int index = Integer.parseInt(server.substring("server-".length()));
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      String first = next(it, l -> l.startsWith("data:"));
      assertThat(first).doesNotContain("[DONE]");
      // the first chunk is here and the server still reports the request running: nothing was
      // buffered
      assertThat(runningOn(index)).isGreaterThanOrEqualTo(1);
      int chunks = 1;
      String last = first;
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("data:")) {
          chunks++;
          last = line;
        }
      }
      assertThat(last).isEqualTo("data: [DONE]");
      assertThat(chunks).isGreaterThan(10);
    }
  }

  @Test
  void theCompletionFeedEndsInFlightCountsWhenResponsesFinish() throws Exception {
    String body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "feed")
            .put("max_tokens", 40)
            .put("stream", true)
            .encode();
    HttpResponse<Stream<String>> response = Http.postStreaming(port, "/v1/completions", body);
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      next(it, l -> l.startsWith("data:"));
      assertThat(inFlightAtPicker()).isGreaterThanOrEqualTo(1);
      it.forEachRemaining(l -> {});
    }
    // NGINX's access-log line reaches the picker over syslog; without it the count would stay up
    // for minutes
    await().atMost(Duration.ofSeconds(5)).until(() -> inFlightAtPicker() == 0);
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

  private double runningOn(int index) throws Exception {
    var metrics = Http.get("http://" + stack.serverAddress(index) + "/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("vllm:num_requests_running"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String next(Iterator<String> it, java.util.function.Predicate<String> wanted) {
    while (it.hasNext()) {
      String line = it.next();
      if (wanted.test(line)) {
        return line;
      }
    }
    throw new AssertionError("stream ended early");
  }
}
