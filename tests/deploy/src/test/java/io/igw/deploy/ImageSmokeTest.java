package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The image as ./igw image builds it: built with podman (no Docker daemon), run with a read-only
 * root file system on the host network, it serves the demo's completions (plain and streamed)
 * through NGINX, answers its HEALTHCHECK, runs as a non-root user, and stops cleanly on SIGTERM.
 * Skipped, with the reason printed, where podman cannot run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageSmokeTest {
  static final String IMAGE_TAG = "smoke";
  static final long SIZE_GOAL_BYTES = 300_000_000L;
  static final String BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String container = "igw-smoke-" + UUID.randomUUID().toString().substring(0, 8);
  private String image;
  private long imageBytes;
  private int gatewayPort;
  private boolean started;

  @BeforeAll
  void buildAndRun() throws Exception {
    skipUnless(Podman.unavailableReason());
    skipUnless(simulatorAddressesBusy());
    Path log = Repo.root().resolve("tests/deploy/target/image-build.log");
    Files.createDirectories(log.getParent());
    Process build =
        new ProcessBuilder(
                Repo.root().resolve("igw").toString(), "image", "--tag", IMAGE_TAG, "--no-build")
            .directory(Repo.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = build.waitFor(20, java.util.concurrent.TimeUnit.MINUTES);
    List<String> lines = Files.readAllLines(log);
    assertThat(done && build.exitValue() == 0).as("./igw image failed:\n%s", tail(lines)).isTrue();
    String[] built = lines.get(lines.size() - 1).split(" ");
    image = built[0];
    imageBytes = Long.parseLong(built[2]);
    System.out.println(
        "event=image_smoke_built image=" + image + " id=" + built[1] + " bytes=" + imageBytes);

    gatewayPort = TestPorts.take();
    Podman.Result run =
        Podman.run(
            concat(
                List.of(
                    "run",
                    "-d",
                    "--name",
                    container,
                    "--read-only",
                    "--network",
                    "host",
                    "--health-interval",
                    "disable"),
                Podman.LIMITS,
                List.of(
                    image,
                    "demo",
                    "--port",
                    "" + gatewayPort,
                    "--picker-port",
                    "" + TestPorts.take(),
                    "--feed-port",
                    "" + TestPorts.take())));
    assertThat(run.ok()).as("podman run: %s", run.output()).isTrue();
    started = true;
    // demo_ready: the picker has seen every simulated server (and their adapters) and NGINX serves
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Podman.run("logs", container).output().contains("event=demo_ready"));
    assertThat(get("/v1/models").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void remove() {
    if (started) {
      Podman.run("rm", "-f", container);
    }
  }

  @Test
  @Order(1)
  void isSmallerThanTheGoal() {
    assertThat(imageBytes).isPositive().isLessThanOrEqualTo(SIZE_GOAL_BYTES);
  }

  @Test
  @Order(2)
  void servesACompletionThroughNginx() throws Exception {
    HttpResponse<String> response =
        post(
            """
        {"model":"%s","messages":[{"role":"user","content":"Hello"}]}"""
                .formatted(BASE_MODEL));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"object\":\"chat.completion\"").contains("\"choices\"");
    assertThat(response.headers().firstValue("server"))
        .hasValueSatisfying(s -> assertThat(s).startsWith("nginx"));
  }

  @Test
  @Order(3)
  void streamsACompletionOfTheLoraAdapter() throws Exception {
    HttpResponse<String> response =
        post(
            """
        {"model":"food-review-1","stream":true,"messages":[{"role":"user","content":"Hello"}]}""");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    assertThat(response.body())
        .contains("data: {")
        .contains("chat.completion.chunk")
        .endsWith("data: [DONE]\n\n");
  }

  @Test
  @Order(4)
  void answersItsHealthcheckAsANonRootUserOnAReadOnlyRoot() {
    assertThat(Podman.run("healthcheck", "run", container).exitCode()).isZero();
    Podman.Result id = Podman.run("exec", container, "id", "-u");
    assertThat(id.output()).isEqualTo("10001");
    Podman.Result write = Podman.run("exec", container, "touch", "/opt/igw/written");
    assertThat(write.exitCode()).as(write.output()).isNotZero();
    assertThat(write.output()).contains("Read-only file system");
  }

  @Test
  @Order(5)
  void stopsCleanlyOnSigterm() {
    Podman.Result stop = Podman.run("stop", "--time", "30", container);
    assertThat(stop.ok()).as(stop.output()).isTrue();
    Podman.Result state = Podman.run("inspect", "--format", "{{.State.ExitCode}}", container);
    // 0: the entrypoint stopped its three processes itself (a SIGKILL after the grace time would
    // read 137)
    assertThat(state.output()).isEqualTo("0");
    assertThat(Podman.run("logs", container).output()).contains("event=demo_stopping");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The demo's simulated servers listen on 127.0.0.11-13:8000 (the example manifests' Pods). */
  private static String simulatorAddressesBusy() {
    for (String ip : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13")) {
      try (ServerSocket s = new ServerSocket(8000, 1, InetAddress.getByName(ip))) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return ip + ":8000 is in use (a demo running?): the image's demo needs it";
      }
    }
    return null;
  }

  private static void skipUnless(String reason) {
    if (reason != null) {
      System.out.println("event=image_smoke_skipped reason=\"" + reason + "\"");
    }
    Assumptions.assumeTrue(reason == null, reason);
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @SafeVarargs
  private static String[] concat(List<String>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
  }
}
