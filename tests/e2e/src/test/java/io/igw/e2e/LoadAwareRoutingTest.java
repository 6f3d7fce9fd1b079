package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The picker reads the servers' queues: a loaded server stops getting new requests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadAwareRoutingTest {
  private GatewayStack stack;
  private final HttpClient direct = HttpClient.newHttpClient();
  private final List<CompletableFuture<?>> load = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of(), List.of()))
                .simulator(o -> o.setMaxNumSeqs(1)));
  }

  @AfterAll
  void stop() {
    load.forEach(f -> f.cancel(true));
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theLessLoadedServersWin() throws Exception {
    // four long requests straight to server 0: one runs, three wait in its queue
    String longRequest =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "long")
            .put("max_tokens", 2000)
            .encode();
    for (int i = 0; i < 4; i++) {
      load.add(
          direct.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://" + stack.serverAddress(0) + "/v1/completions"))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(longRequest))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> waitingOn(0) >= 2);
    // once the picker has scraped the queue, requests through the gateway avoid server 0
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<String> servedBy = new ArrayList<>();
              for (int i = 0; i < 12; i++) {
                var response =
                    Http.post(
                        stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 1));
                assertThat(response.statusCode()).isEqualTo(200);
                servedBy.add(Http.servedBy(response));
              }
              assertThat(servedBy).hasSize(12).doesNotContain("server-0");
            });
  }

  private double waitingOn(int index) throws Exception {
    var metrics = Http.get("http://" + stack.serverAddress(index) + "/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("vllm:num_requests_waiting"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
