package io.igw.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final AtomicBoolean nginxRunning = new AtomicBoolean(true);
  private final ControllerHealth health =
      new ControllerHealth(Clock.systemUTC(), nginxRunning::get);
  private final HttpClient client = HttpClient.newHttpClient();
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    server = HealthServer.start("127.0.0.1", 0, health);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyAnswers503WithItsReasonThen200() throws Exception {
    HttpResponse<String> before = send("GET", "/ready");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).contains("\"reason\":\"no reconcile has finished yet\"");
    assertThat(before.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
    health.track(() -> ReconcileResult.APPLIED);
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(200);
    assertThat(send("HEAD", "/ready").statusCode()).isEqualTo(200);
    nginxRunning.set(false);
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/ready/../admin").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/%2e%2e/health").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send("POST", "/ready");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void reasonsAreAlwaysValidJsonStrings() {
    assertThat(HealthServer.quoted("a \"b\" \\ c\n\u0001"))
        .isEqualTo("\"a \\\"b\\\" \\\\ c\\u000a\\u0001\"");
  }
}
