package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's concurrency bounds through real NGINX, with a picker that holds its picks: requests
 * in progress per client address (limit_conn, 429) and picks in flight to the picker (max_conns;
 * open-source NGINX has no queue, so the one beyond fails at once as "picker unavailable").
 */
class ConnectionLimitsTest {
  private final Vertx vertx = Vertx.vertx();
  private GatewayStack stack;
  private StandInPicker picker;

  private void start(int pickerMaxConns, int perClient) throws Exception {
    picker =
        StandInPicker.start(vertx)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    int serverPort =
        EchoServer.start(vertx, GatewayStack.serverIp(0), 0, "echo-0")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    picker.answer(GatewayStack.serverIp(0) + ":" + serverPort);
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of()))
                .pickerAt(picker.port())
                .externalServers(serverPort)
                .limits(pickerMaxConns, perClient));
  }

  @AfterEach
  void stop() {
    if (picker != null) {
      picker.releaseAll();
    }
    if (stack != null) {
      stack.close();
    }
    vertx.close();
  }

  @Test
  void oneClientAddressGetsA429BeyondItsRequestsInProgress() throws Exception {
    start(16, 2);
    picker.hold(true);
    List<CompletableFuture<HttpResponse<String>>> held = List.of(send(), send());
    await().atMost(Duration.ofSeconds(10)).until(() -> picker.waiting() == 2);
    HttpResponse<String> third = send().get(10, TimeUnit.SECONDS);
    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    assertThat(Http.openAiError(third).getString("code")).isEqualTo("too_many_connections");
    picker.releaseAll();
    for (CompletableFuture<HttpResponse<String>> r : held) {
      assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(send().get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aPickBeyondThePickersCapFailsAtOnceAsPickerUnavailable() throws Exception {
    start(1, 0);
    picker.hold(true);
    CompletableFuture<HttpResponse<String>> first = send();
    await().atMost(Duration.ofSeconds(10)).until(() -> picker.waiting() == 1);
    HttpResponse<String> second = send().get(10, TimeUnit.SECONDS);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
    assertThat(Http.openAiError(second).getString("code")).isEqualTo("picker_unavailable");
    assertThat(picker.picks()).as("the picker was asked once").isEqualTo(1);
    picker.releaseAll();
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  private CompletableFuture<HttpResponse<String>> send() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
