package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A pick API answer naming endpoints outside the pool, through real NGINX: refused with a 502
 * before anything connects, the pool's own entries of the list still used. Non-loopback values are
 * sent only once a loopback trap proved that nothing connects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PickerAnswerOutsidePoolTest {
  private final Vertx vertx = Vertx.vertx();
  private StandInPicker picker;
  private GatewayStack stack;
  private ConnectionTrap trap;
  private String poolEndpoint;

  @BeforeAll
  void start() throws Exception {
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
    poolEndpoint = GatewayStack.serverIp(0) + ":" + serverPort;
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of()))
                .pickerAt(picker.port())
                .externalServers(serverPort));
    trap = new ConnectionTrap("127.0.0.99");
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (trap != null) {
      trap.close();
    }
    vertx.close();
  }

  @Test
  void anAnswerOutsideThePoolIsRefusedBeforeAnythingConnects() throws Exception {
    picker.answer(trap.address());
    HttpResponse<String> refused =
        Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
    assertThat(Http.openAiError(refused).getString("code")).isEqualTo("endpoint_not_in_pool");
    assertThat(trap.accepted()).as("connections to the trap").isZero();
    assertThat(stack.errorLog())
        .contains(
            "event=endpoint_refused reason=not_in_pool pool=default/pool endpoints="
                + trap.address());

    // refusal proven on loopback: a metadata address and a local port may now appear as values
    for (String outside :
        List.of("169.254.169.254:80", "127.0.0.1:22", "169.254.169.254:80,127.0.0.1:22")) {
      picker.answer(outside);
      HttpResponse<String> response =
          Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
      assertThat(response.statusCode()).as(outside).isEqualTo(502);
      assertThat(Http.openAiError(response).getString("code")).isEqualTo("endpoint_not_in_pool");
      assertThat(stack.errorLog()).contains("endpoints=" + outside + " kept=0");
    }
    assertThat(stack.errorLog())
        .doesNotContain("upstream: \"http://169.254")
        .doesNotContain("connect() failed");
  }

  @Test
  void thePoolsOwnEntriesOfAnAnswerAreStillUsed() throws Exception {
    picker.answer(trap.address() + "," + poolEndpoint);
    HttpResponse<String> response =
        Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.servedBy(response)).isEqualTo("echo-0");
    assertThat(trap.accepted()).isZero();
    assertThat(stack.errorLog()).contains("endpoints=" + trap.address() + " kept=1");
  }
}
