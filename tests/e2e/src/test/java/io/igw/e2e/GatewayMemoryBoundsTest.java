package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.stack.Repo;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What one burst of large bodies can make the gateway hold: 64 concurrent 4 MiB bodies (tiny
 * numbers, deep nesting) through real NGINX to the picker jar in its own JVM with a 256 MiB heap.
 * Every request gets an answer or an OpenAI error, the picker stays up, and a normal request is
 * served afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMemoryBoundsTest {
  private static final int BODY_LIMIT = 4 * 1024 * 1024;
  private GatewayStack stack;
  private Process picker;
  private Path pickerLog;

  @BeforeAll
  void start() throws Exception {
    int pickerPort = TestPorts.take();
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of()))
                .pickerAt(pickerPort)
                .bodyLimit(BODY_LIMIT));
    Path manifests = Files.createTempDirectory("igw-memory-");
    Files.writeString(manifests.resolve("all.yaml"), stack.manifestYaml());
    pickerLog = manifests.resolve("picker.log");
    Path jar = Repo.jar(Repo.PICKER_JAR);
    picker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                jar.toString(),
                "--manifests",
                manifests.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(pickerPort),
                "--scrape-interval-ms",
                "50")
            .redirectErrorStream(true)
            .redirectOutput(pickerLog.toFile())
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> normalRequest().statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (picker != null) {
      picker.destroy();
      picker.waitFor(10, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aBurstOfLargeBodiesGetsAnswersAndThePickerStaysUp() throws Exception {
    String head = "{\"model\":\"" + BASE_MODEL + "\",\"max_tokens\":1,\"prompt\":";
    StringBuilder numbers = new StringBuilder(BODY_LIMIT).append(head).append("[1");
    while (numbers.length() < BODY_LIMIT - 64) {
      numbers.append(",7");
    }
    String manyNumbers = numbers.append("]}").toString();
    int depth = (BODY_LIMIT - 64 - head.length()) / 2;
    String deep = head + "[".repeat(depth) + "]".repeat(depth) + "}";
    ExecutorService clients = Executors.newFixedThreadPool(64);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        String body = i % 2 == 0 ? manyNumbers : deep;
        answers.add(
            clients.submit(
                () ->
                    Http.post(
                        stack.gatewayPort(),
                        "/v1/completions",
                        body,
                        Map.of(),
                        Duration.ofSeconds(120))));
      }
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(150, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
          assertThat(response.statusCode()).as(response.body()).isBetween(400, 599);
          Http.openAiError(response);
        }
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(picker.isAlive()).as(Files.readString(pickerLog)).isTrue();
    HttpResponse<String> after = normalRequest();
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
  }

  @Test
  void theParseLimitsAnswerWithTheirStatus() throws Exception {
    String head = "{\"model\":\"" + BASE_MODEL + "\",\"prompt\":";
    HttpResponse<String> deep =
        Http.post(
            stack.gatewayPort(), "/v1/completions", head + "[".repeat(100) + "]".repeat(100) + "}");
    // njs's own JSON.parse already refuses this depth; the picker's bound (64) holds for whoever
    // else calls it
    assertThat(deep.statusCode()).as(deep.body()).isEqualTo(400);
    Http.openAiError(deep);
    HttpResponse<String> longArray =
        Http.post(
            stack.gatewayPort(), "/v1/completions", head + "[" + "1,".repeat(300_000) + "1]}");
    assertThat(longArray.statusCode()).as(longArray.body()).isEqualTo(413);
    assertThat(Http.openAiError(longArray).getString("code")).isEqualTo("request_too_large");
  }

  private HttpResponse<String> normalRequest() throws Exception {
    return Http.post(stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 2));
  }
}
