package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests NGINX refuses while reading them (a broken request line, a URI or headers past its
 * buffers) get an OpenAI error body with the right status, not NGINX's HTML page; the gateway keeps
 * serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTest {
  private GatewayStack stack;

  @BeforeAll
  void start() throws Exception {
    stack = GatewayStack.start(new GatewayStack.Options());
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "broken request line  | 400 | bad_request",
        "header without colon | 400 | bad_request",
        "URI past the buffers | 414 | uri_too_long",
        "header past buffers  | 431 | headers_too_large",
      })
  void nginxsOwnRefusalsAreOpenAiErrors(String name, int status, String code) throws Exception {
    String request =
        switch (name) {
          case "broken request line" -> "GARBAGE\r\n\r\n";
          case "header without colon" ->
              "POST /v1/completions HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n";
          case "URI past the buffers" ->
              "GET /v1/models?" + "q".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
          default ->
              "GET /v1/models HTTP/1.1\r\nHost: x\r\nx-big: " + "v".repeat(20_000) + "\r\n\r\n";
        };
    String answer = send(request);
    assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(answer.toLowerCase()).contains("content-type: application/json");
    assertThat(new JsonObject(body).getJsonObject("error").getString("code")).isEqualTo(code);
    var normal =
        Http.post(
            stack.gatewayPort(), "/v1/completions", Http.completion(GatewayStack.BASE_MODEL, 1));
    assertThat(normal.statusCode()).isEqualTo(200);
  }

  private String send(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.gatewayPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
