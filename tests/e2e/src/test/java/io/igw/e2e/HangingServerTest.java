package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A model server that takes the request and never answers, through real NGINX with a short upstream
 * timeout: past the timeout, before any header, the next endpoint of the pick serves; with none
 * left the client gets a 504.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HangingServerTest {
  private static final String HANGS = GatewayStack.serverIp(0);
  private static final String SERVES = GatewayStack.serverIp(1);
  private static final int UPSTREAM_TIMEOUT_MS = 1000;

  private final Vertx vertx = Vertx.vertx();
  private StandInPicker picker;
  private GatewayStack stack;
  private int port;

  @BeforeAll
  void start() throws Exception {
    picker = await(StandInPicker.start(vertx));
    port = TestPorts.take();
    await(vertx.createHttpServer().requestHandler(request -> request.pause()).listen(port, HANGS));
    await(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            b ->
                                request
                                    .response()
                                    .putHeader("x-igw-served-by", "serves")
                                    .end("{\"ok\":true}")))
            .listen(port, SERVES));
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of()))
                .pickerAt(picker.port())
                .externalServers(port)
                .upstreamTimeoutMs(UPSTREAM_TIMEOUT_MS));
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
    vertx.close();
  }

  @Test
  void theNextEndpointServesAfterTheTimeout() throws Exception {
    picker.answer(HANGS + ":" + port + "," + SERVES + ":" + port);
    HttpResponse<String> response =
        Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.servedBy(response)).isEqualTo("serves");
    assertThat(stack.errorLog())
        .contains("upstream timed out")
        .contains("trying next endpoint=" + HANGS + ":" + port);
  }

  @Test
  void withNoEndpointLeftTheClientGetsA504() throws Exception {
    picker.answer(HANGS + ":" + port);
    HttpResponse<String> response =
        Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
    assertThat(Http.openAiError(response).getString("code")).isEqualTo("upstream_timeout");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
