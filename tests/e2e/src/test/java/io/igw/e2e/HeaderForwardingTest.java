package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What reaches the model server: the client's request unchanged, minus the headers only igw may
 * set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderForwardingTest {
  private GatewayStack stack;

  @BeforeAll
  void start() throws Exception {
    stack =
        GatewayStack.start(new GatewayStack.Options().loras(List.of(List.of(), List.of())).echo());
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void spoofedDestinationHeadersAreNotForwarded() throws Exception {
    var response =
        Http.post(
            stack.gatewayPort(),
            "/v1/completions?x=1",
            "{\"model\":\"m\",\"prompt\":\"p\"}",
            Map.of(
                "x-gateway-destination-endpoint",
                "127.0.9.9:80",
                "x-gateway-destination-endpoint-served",
                "127.0.9.9:80",
                "x-test-header",
                "kept"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject echo = new JsonObject(response.body());
    JsonObject headers = echo.getJsonObject("headers");
    assertThat(headers.fieldNames())
        .doesNotContain("x-gateway-destination-endpoint", "x-gateway-destination-endpoint-served");
    assertThat(headers.getString("x-test-header")).isEqualTo("kept");
    assertThat(headers.getString("x-request-id")).isNotBlank();
    assertThat(echo.getString("path")).isEqualTo("/v1/completions?x=1");
    assertThat(echo.getString("method")).isEqualTo("POST");
    assertThat(echo.getString("body")).isEqualTo("{\"model\":\"m\",\"prompt\":\"p\"}");
  }

  @Test
  void aClientRequestIdIsKept() throws Exception {
    var response =
        Http.post(
            stack.gatewayPort(),
            "/v1/completions",
            "{\"model\":\"m\"}",
            Map.of("x-request-id", "abc-123"));
    assertThat(new JsonObject(response.body()).getJsonObject("headers").getString("x-request-id"))
        .isEqualTo("abc-123");
  }
}
