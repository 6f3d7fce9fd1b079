package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Model servers that drop the connection mid-stream (headers and a few tokens sent), through real
 * NGINX with the picker's completion feed: the client's stream ends (it does not hang, and it is
 * not passed off as complete), and the picker's in-flight counts come back to 0.
 */
class ServerCrashMidStreamTest {

  @Test
  void theClientSeesTheStreamEndAndInFlightReturnsToZero() throws Exception {
    JsonObject crash = new JsonObject().put("crashRate", 1.0).put("crashAfterTokens", 3);
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of()))
                .simulator(o -> o.setFaults(crash)))) {
      for (int i = 0; i < 4; i++) {
        List<String> lines = streamLines(stack.gatewayPort());
        assertThat(lines)
            .as("a stream cut by its server never ends with [DONE]")
            .doesNotContain("data: [DONE]");
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(inFlight(stack.pickerPort())).isZero());
    }
  }

  private static List<String> streamLines(int port) throws Exception {
    String body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "hello")
            .put("max_tokens", 50)
            .put("stream", true)
            .encode();
    HttpResponse<Stream<String>> response = Http.postStreaming(port, "/v1/completions", body);
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    try (Stream<String> stream = response.body()) {
      stream.forEach(lines::add);
    } catch (UncheckedIOException cut) {
      assertThat(cut.getCause()).isInstanceOf(IOException.class);
    }
    return lines;
  }

  private static long inFlight(int pickerPort) throws Exception {
    JsonArray pools =
        new JsonObject(Http.get("http://127.0.0.1:" + pickerPort + "/debug/pools").body())
            .getJsonArray("pools");
    long sum = 0;
    for (Object pool : pools) {
      for (Object e : ((JsonObject) pool).getJsonArray("endpoints")) {
        sum += ((JsonObject) e).getLong("inFlight", 0L);
      }
    }
    return sum;
  }
}
