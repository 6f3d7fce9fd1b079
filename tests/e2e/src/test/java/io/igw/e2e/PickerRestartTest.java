package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The picker goes away while NGINX is serving through it, then comes back on the same port:
 * meanwhile a FailOpen pool is still served and a FailClose pool answers 503 with an OpenAI error;
 * once it is back, picks route again.
 */
class PickerRestartTest {

  @ParameterizedTest
  @ValueSource(strings = {"FailOpen", "FailClose"})
  void whileThePickerIsGoneTheFailureModeAnswersAndThenPicksRouteAgain(String failureMode)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    int pickerPort = TestPorts.take();
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of()))
                .failureMode(failureMode)
                .pickerAt(pickerPort))) {
      PickerServer picker = startPicker(vertx, stack, pickerPort);
      assertThat(send(stack).statusCode()).isEqualTo(200);
      picker.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpResponse<String> whileGone = send(stack);
      if (failureMode.equals("FailOpen")) {
        assertThat(whileGone.statusCode()).as(whileGone.body()).isEqualTo(200);
        assertThat(Http.servedBy(whileGone)).startsWith("server-");
      } else {
        assertThat(whileGone.statusCode()).isEqualTo(503);
        assertThat(Http.openAiError(whileGone).getString("code")).isEqualTo("picker_unavailable");
      }
      PickerServer again = startPicker(vertx, stack, pickerPort);
      HttpResponse<String> back = send(stack);
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
      assertThat(stack.errorLog())
          .contains(
              "picker unavailable, failing "
                  + (failureMode.equals("FailOpen") ? "open" : "closed"));
      again.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
  }

  private static PickerServer startPicker(Vertx vertx, GatewayStack stack, int port)
      throws Exception {
    PickerServer picker =
        PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(new ManifestReader().readString("e2e", stack.manifestYaml()))
                    .setPickApi(new PickApiOptions().setHost("127.0.0.1").setPort(port))
                    .setCollector(new CollectorOptions().setScrapeIntervalMs(50)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    PickerView.await(port, true);
    return picker;
  }

  private static HttpResponse<String> send(GatewayStack stack) throws Exception {
    return Http.post(stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 1));
  }
}
