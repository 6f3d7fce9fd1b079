package io.igw.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.stack.TestStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static backend through real NGINX + njs: its streamed completion and its fixed one. */
class StaticBackendStreamTest {
  private static final Pattern CONTENT_CHUNK =
      Pattern.compile("^data: \\{[^\\n]*\"text\":\" tok\"[^\\n]*\\}$", Pattern.MULTILINE);

  @TempDir static Path work;
  private static TestStack stack;
  private static URI backend;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    stack = new TestStack(work, Duration.ofSeconds(20), 50);
    NginxBinary binary = stack.nginx();
    String ip = "127.0.0.41";
    int port = freePort(ip);
    LiveSettings settings =
        new LiveSettings(
            1,
            1,
            "llama-8b-h100",
            "m",
            port,
            18490,
            18481,
            18482,
            18483,
            18484,
            1,
            List.of(),
            true);
    Path prefix = work.resolve("backend");
    BaselineNginxConf.writeStaticBackend(
        prefix,
        settings,
        "m",
        "127.0.0.1:" + freePort("127.0.0.1"),
        binary.jsModule() == null ? null : binary.jsModule().toString(),
        "root".equals(System.getProperty("user.name")));
    backend = URI.create("http://" + ip + ":" + port);
    stack.startNginx("nginx-backend", new NginxPrefix(prefix));
    stack.awaitOk(backend + "/health");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void streamsFiveHundredChunksAFinishChunkAndDoneWithoutUsageUnlessAsked() throws Exception {
    HttpResponse<String> answer =
        post("{\"model\":\"m\",\"stream\":true,\"max_tokens\":500}", true);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
    assertThat(CONTENT_CHUNK.matcher(answer.body()).results().count()).isEqualTo(500);
    assertThat(answer.body())
        .doesNotContain("\"usage\"")
        .contains("\"finish_reason\":\"length\"")
        .endsWith("}\n\ndata: [DONE]\n\n");
  }

  @Test
  void sendsTheUsageChunkOnlyWhenIncludeUsageIsTrue() throws Exception {
    String asked =
        post("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}", true)
            .body();
    String notAsked =
        post("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false}}", true)
            .body();
    String usage =
        "data: {\"id\":\"cmpl-static\",\"object\":\"text_completion\",\"created\":0,\"model\":\"m\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"total_tokens\":503,"
            + "\"completion_tokens\":500,\"prompt_tokens_details\":null}}\n\n";
    assertThat(asked).endsWith(usage + "data: [DONE]\n\n");
    // the fixed bytes: asking for usage adds that one chunk and changes nothing else
    assertThat(asked.replace(usage, "")).isEqualTo(notAsked);
  }

  @Test
  void aRequestWithoutTheStreamHeaderGetsTheFixedCompletion() throws Exception {
    HttpResponse<String> answer = post("{\"model\":\"m\",\"stream\":true}", false);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("{\"id\":\"cmpl-static\"").contains("\"text\":\"hi\"");
  }

  private static HttpResponse<String> post(String body, boolean stream)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(backend.resolve("/v1/completions"))
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (stream) {
      request.header("x-bench-stream", "1");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort(String ip) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      return socket.getLocalPort();
    }
  }
}
