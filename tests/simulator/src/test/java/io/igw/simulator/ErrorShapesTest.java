package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorShapesTest extends SimulatorHttpTest {

  @Test
  void unknownModelIsVllmNotFound() throws Exception {
    HttpResponse<Buffer> response = post("/v1/completions", "{\"model\":\"x\",\"prompt\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("x-igw-served-by")).isEqualTo("sim-under-test");
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("object", "error")
                .put("message", "The model `x` does not exist.")
                .put("type", "NotFoundError")
                .putNull("param")
                .put("code", 404));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/completions      | {\"prompt\": ",
        "/v1/chat/completions | not json",
        "/v1/completions      | [1,2]",
        "/v1/completions      | {\"model\": 3, \"prompt\": \"hi\"}",
        "/v1/completions      | {\"model\": \"x\"}",
        "/v1/chat/completions | {\"messages\": []}",
        "/v1/completions      | {\"prompt\": \"hi\", \"max_tokens\": 0}",
        "/v1/completions      | {\"prompt\": \"hi\", \"max_tokens\": \"ten\"}",
        "/v1/completions      | {\"prompt\": \"hi\", \"stream\": \"yes\"}",
      })
  void badInputIsVllmBadRequest(String path, String body) throws Exception {
    HttpResponse<Buffer> response = post(path, body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("object")).isEqualTo("error");
    assertThat(error.getString("type")).isEqualTo("BadRequestError");
    assertThat(error.getInteger("code")).isEqualTo(400);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.containsKey("param")).isTrue();
  }
}
