package io.igw.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiErrorBodyTest {
  @Test
  void writesTheOpenAiShapeInItsFieldOrder() {
    assertThat(
            OpenAiErrorBody.json("server_error", "picker_unavailable", "the picker is unavailable"))
        .isEqualTo(
            "{\"error\":{\"message\":\"the picker is unavailable\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":\"picker_unavailable\"}}");
  }

  @Test
  void escapesWhatAMessageCarries() {
    assertThat(OpenAiErrorBody.json("invalid_request_error", null, "bad \"model\"\n\\"))
        .isEqualTo(
            "{\"error\":{\"message\":\"bad \\\"model\\\"\\n\\\\\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":null}}");
  }
}
