package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When the picker cannot be asked: FailClose (the default) answers 503, FailOpen still serves. */
class PickerUnavailableTest {

  @Test
  void failCloseAnswers503WithAnOpenAiError() throws Exception {
    try (GatewayStack stack =
        GatewayStack.start(new GatewayStack.Options().loras(List.of(List.of())).withoutPicker())) {
      var response =
          Http.post(stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 1));
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(Http.openAiError(response).getString("code")).isEqualTo("picker_unavailable");
      assertThat(Http.servedBy(response)).isEqualTo("(none)");
    }
  }

  @Test
  void failOpenStillServesFromThePool() throws Exception {
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of()))
                .failureMode("FailOpen")
                .withoutPicker())) {
      for (int i = 0; i < 4; i++) {
        var response =
            Http.post(stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 1));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.servedBy(response)).startsWith("server-");
      }
    }
  }
}
