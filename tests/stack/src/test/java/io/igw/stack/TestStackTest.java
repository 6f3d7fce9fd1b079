package io.igw.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.controller.model.RuntimeSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStackTest {
  private static final String MANIFESTS =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: igw}
      spec: {controllerName: igw.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec:
        gatewayClassName: igw
        listeners: [{name: http, protocol: HTTP, port: 80}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: route, namespace: default}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: pool}]
      ---
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: pool, namespace: default}
      spec:
        selector: {matchLabels: {app: sim}}
        targetPorts: [{number: 8000}]
        endpointPickerRef: {name: igw-picker, port: {number: 9002}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: sim-0, namespace: default, labels: {app: sim}}
      status:
        podIP: 127.0.0.21
        conditions: [{type: Ready, status: "True"}]
      """;

  @TempDir Path work;

  @Test
  void nginxServesAConfigRenderedInProcessAndOneRenderedByTheController() throws Exception {
    try (TestStack stack = new TestStack(work, Duration.ofSeconds(20), 50)) {
      Path folder = Files.createDirectories(work.resolve("manifests"));
      Files.writeString(folder.resolve("gateway.yaml"), MANIFESTS);
      String nowhere = "127.0.0.1:" + TestPorts.take(); // no picker: /v1/models needs none
      int inProcessPort = TestPorts.take();
      int controllerPort = TestPorts.take();

      GatewayConfig inProcess = config(stack, "in-process", inProcessPort, nowhere);
      var outcome =
          inProcess.renderInProcess(
              stack.nginx(), new ManifestReader().readString("test", MANIFESTS));
      assertThat(outcome.graph().pools()).hasSize(1);
      GatewayConfig byController = config(stack, "by-controller", controllerPort, nowhere);
      byController.renderByController(folder, stack.log("render"));

      NginxProcess first = stack.startNginx("nginx-in-process", inProcess.prefix());
      NginxProcess second = stack.startNginx("nginx-by-controller", byController.prefix());
      for (int port : List.of(inProcessPort, controllerPort)) {
        stack.awaitListening(port);
        // igw's own route (njs): without a picker it cannot list the models
        assertThat(get("http://127.0.0.1:" + port + "/v1/models"))
            .startsWith("503 ")
            .contains("picker_unavailable");
      }
      assertThat(normalized(inProcess, inProcessPort))
          .isEqualTo(normalized(byController, controllerPort));
      assertThat(first.process().alive()).isTrue();
      assertThat(second.errorLog()).doesNotContain("[emerg]");
    }
  }

  /** The config with its own prefix and port taken out. */
  private static String normalized(GatewayConfig config, int port) throws IOException {
    return Files.readString(config.prefix().conf())
        .replace(config.prefix().root().toString(), "PREFIX")
        .replace(":" + port, ":PORT");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private static GatewayConfig config(TestStack stack, String name, int port, String picker)
      throws IOException {
    return new GatewayConfig(
        GatewayConfig.loopbackSettings(stack.nginx(), stack.prefix(name))
            .pickerAddress(picker)
            .build(),
        port,
        "igw-picker");
  }

  @Test
  void aFailedStartStopsWhatStartedInReverseOrder() throws Exception {
    List<String> stopped = new ArrayList<>();
    List<ManagedProcess> children = new ArrayList<>();
    class Harness implements AutoCloseable {
      final TestStack stack;

      Harness() throws IOException {
        stack = new TestStack(work, Duration.ofSeconds(5), 20);
      }

      @Override
      public void close() {
        stack.close();
      }
    }
    assertThatThrownBy(
            () ->
                TestStack.startOrClose(
                    new Harness(),
                    h -> {
                      h.stack.add(() -> stopped.add("first"));
                      children.add(h.stack.start("sleeper", List.of("sleep", "60")));
                      h.stack.add(() -> stopped.add("last"));
                      h.stack.start("quitter", List.of("true"));
                      h.stack.awaitListening(TestPorts.take());
                    }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("quitter exited");
    assertThat(stopped).containsExactly("last", "first");
    assertThat(children.get(0).alive()).isFalse();
  }

  @Test
  void theRenderCommandGetsEverySetting() throws Exception {
    RuntimeSettings settings =
        RuntimeSettings.builder()
            .prefix("/tmp/p")
            .njsDir("/repo/njs")
            .pickerAddress("127.0.0.1:9")
            .workerProcesses(2)
            .connectionsPerClient(0)
            .completionFeed("127.0.0.1:10")
            .upstreamTimeoutMs(10_000)
            .tokenUsage(false)
            .eppRequestHeaders(List.of("x-a"))
            .build();
    assertThat(String.join(" ", new GatewayConfig(settings, 18, "svc").renderArguments()))
        .contains(
            "--prefix /tmp/p",
            "--njs /repo/njs",
            "--picker 127.0.0.1:9",
            "--picker-service svc",
            "--workers 2",
            "--connections-per-client 0",
            "--completion-feed 127.0.0.1:10",
            "--upstream-timeout-ms 10000",
            "--no-token-usage",
            "--epp-request-header x-a",
            "--port 18",
            "--epp-response-phase report");
    assertThatThrownBy(
            () ->
                new GatewayConfig(settings.toBuilder().pickTimeoutMs(2000).build(), 18, "svc")
                    .renderArguments())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
