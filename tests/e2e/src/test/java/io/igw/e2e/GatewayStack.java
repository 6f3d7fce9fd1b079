package io.igw.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.RuntimeSettings;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.igw.stack.GatewayConfig;
import io.igw.stack.NginxProcess;
import io.igw.stack.TestStack;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The whole data plane for one test class: simulated model servers on 127.0.0.{21..}, each its own
 * "pod" on one shared port, the picker in-process, nginx.conf rendered by the controller pipeline
 * from manifests, and a real NGINX with njs; started and stopped as a {@link TestStack}.
 */
final class GatewayStack implements AutoCloseable {
  static final String BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String POOL = "default/pool";

  private final Vertx vertx = Vertx.vertx();
  private final TestStack stack;
  private final List<SimulatorServer> servers = new ArrayList<>();
  private final List<Integer> echoPorts = new ArrayList<>();
  private PickerServer picker;
  private NginxProcess nginx;
  private int gatewayPort;
  private String manifestYaml;

  static final class Options {
    List<List<String>> serverLoras = List.of(List.of(), List.of(), List.of());
    String failureMode = "FailClose";
    boolean startPicker = true;
    boolean echo = false;
    String extraManifests = "";
    long bodyLimit = 64 * 1024;
    UnaryOperator<SimulatorOptions> simulator = o -> o;
    UnaryOperator<PickerOptions> picker = o -> o;
    Integer externalPickerPort;
    int externalServersPort;
    int pickerMaxConns = RuntimeSettings.DEFAULT_PICKER_MAX_CONNS;
    int connectionsPerClient = RuntimeSettings.DEFAULT_CONNECTIONS_PER_CLIENT;
    int upstreamTimeoutMs = RuntimeSettings.DEFAULT_UPSTREAM_TIMEOUT_MS;
    io.igw.picker.ratelimit.RateLimitOptions rateLimit =
        new io.igw.picker.ratelimit.RateLimitOptions();

    /** The picker's token rate limits: buckets in Redis ({@code setRedisUrl}), the value cap. */
    Options rateLimit(io.igw.picker.ratelimit.RateLimitOptions options) {
      this.rateLimit = options;
      return this;
    }

    /** NGINX's wait on a model server between reads (its header, then each chunk). */
    Options upstreamTimeoutMs(int ms) {
      this.upstreamTimeoutMs = ms;
      return this;
    }

    /**
     * NGINX asks the picker listening (or about to) on this 127.0.0.1 port; none runs in-process.
     */
    Options pickerAt(int port) {
      this.externalPickerPort = port;
      this.startPicker = false;
      return this;
    }

    /**
     * Pods on 127.0.0.{21..} of this port, one per entry of loras, whose servers the test runs
     * itself.
     */
    Options externalServers(int port) {
      this.externalServersPort = port;
      return this;
    }

    Options bodyLimit(long bytes) {
      this.bodyLimit = bytes;
      return this;
    }

    Options limits(int pickerMaxConns, int connectionsPerClient) {
      this.pickerMaxConns = pickerMaxConns;
      this.connectionsPerClient = connectionsPerClient;
      return this;
    }

    Options loras(List<List<String>> loras) {
      this.serverLoras = loras;
      return this;
    }

    Options failureMode(String mode) {
      this.failureMode = mode;
      return this;
    }

    /**
     * Echo servers (answer with the request they got) instead of simulators, one per entry of
     * loras.
     */
    Options echo() {
      this.echo = true;
      return this;
    }

    /**
     * Every manifest (gateway, routes, pools, pods) instead of the one-pool set: the shared server
     * port → YAML; servers still run on {@link #serverIp}.
     */
    Options allManifests(java.util.function.IntFunction<String> yaml) {
      this.allManifests = yaml;
      return this;
    }

    java.util.function.IntFunction<String> allManifests;

    /** More manifests (objectives, rewrites) in the same namespace as the pool "pool". */
    Options manifests(String yaml) {
      this.extraManifests = yaml;
      return this;
    }

    /** Per-server tuning on top of {@link #simulator}: index → options to change. */
    Options perServer(
        java.util.function.BiFunction<Integer, SimulatorOptions, SimulatorOptions> tune) {
      this.perServerTune = tune;
      return this;
    }

    java.util.function.BiFunction<Integer, SimulatorOptions, SimulatorOptions> perServerTune =
        (i, o) -> o;

    Options withoutPicker() {
      this.startPicker = false;
      return this;
    }

    /** Picker options on top of the stack's own (pick API, collector, completion feed). */
    Options picker(UnaryOperator<PickerOptions> tune) {
      this.picker = tune;
      return this;
    }

    Options simulator(UnaryOperator<SimulatorOptions> tune) {
      this.simulator = tune;
      return this;
    }
  }

  private GatewayStack() throws IOException {
    stack = new TestStack(Files.createTempDirectory("igw-e2e-"), Duration.ofSeconds(20), 50);
    stack.add(() -> vertx.close()); // last: the echo servers and the rest run on it
  }

  static GatewayStack start(Options options) throws Exception {
    return TestStack.startOrClose(new GatewayStack(), stack -> stack.doStart(options));
  }

  private void doStart(Options options) throws Exception {
    NginxBinary binary = stack.nginx();
    int serverPort = options.externalServersPort;
    boolean external = serverPort != 0;
    if (!external && options.serverLoras.size() > 1) {
      serverPort =
          TestPorts.take(); // one port on several addresses: known before the first listens
    }
    for (int i = 0; i < options.serverLoras.size() && options.echo && !external; i++) {
      var echo = await(EchoServer.start(vertx, serverIp(i), serverPort, "echo-" + i));
      serverPort = echo.actualPort();
      echoPorts.add(serverPort);
    }
    for (int i = 0; i < options.serverLoras.size() && !options.echo && !external; i++) {
      SimulatorOptions sim =
          options.perServerTune.apply(
              i,
              options.simulator.apply(
                  new SimulatorOptions()
                      .setHost(serverIp(i))
                      .setPort(serverPort)
                      .setModel(BASE_MODEL)
                      .setLoras(options.serverLoras.get(i))
                      .setName("server-" + i)));
      SimulatorServer server = await(SimulatorServer.start(vertx, sim));
      stack.add(() -> await(server.close()));
      serverPort = server.port();
      servers.add(server);
    }
    manifestYaml =
        options.allManifests != null
            ? options.allManifests.apply(serverPort)
            : manifests(serverPort, options);
    List<HasMetadata> resources = new ManifestReader().readString("e2e", manifestYaml);
    Integer pickerPort = options.externalPickerPort;
    String completionFeed = null;
    if (options.startPicker) {
      picker =
          await(
              PickerServer.start(
                  vertx,
                  options.picker.apply(
                      new PickerOptions()
                          .setResources(resources)
                          .setPickApi(new PickApiOptions().setHost("127.0.0.1").setPort(0))
                          .setCollector(new CollectorOptions().setScrapeIntervalMs(50))
                          .setCompletionFeed(new CompletionFeedOptions().setPort(0))
                          .setRateLimit(options.rateLimit))));
      PickerServer started = picker;
      stack.add(() -> await(started.close()));
      pickerPort = picker.port();
      completionFeed = "127.0.0.1:" + picker.completionFeedPort();
    } else if (pickerPort == null) {
      pickerPort = TestPorts.take(); // where no picker listens
    }
    gatewayPort = TestPorts.take();
    NginxPrefix prefix = stack.prefix("nginx");
    RuntimeSettings settings =
        GatewayConfig.loopbackSettings(binary, prefix)
            .pickerAddress("127.0.0.1:" + pickerPort)
            .bodyLimitBytes(options.bodyLimit)
            .pickTimeoutMs(2000)
            .completionFeed(completionFeed)
            .pickerMaxConns(options.pickerMaxConns)
            .connectionsPerClient(options.connectionsPerClient)
            .upstreamTimeoutMs(options.upstreamTimeoutMs)
            .build();
    var outcome =
        new GatewayConfig(settings, gatewayPort, "default/picker")
            .renderInProcess(binary, resources);
    if (outcome.graph().pools().isEmpty()) {
      throw new IllegalStateException("config without pools: " + outcome.graph());
    }
    nginx = stack.startNginx("nginx", prefix);
    stack.awaitListening(gatewayPort);
    if (picker != null) {
      PickerView.await(picker.port(), !options.echo);
    }
  }

  static String serverIp(int index) {
    return "127.0.0." + (21 + index);
  }

  String serverAddress(int index) {
    return serverIp(index)
        + ":"
        + (servers.isEmpty() ? echoPorts.get(index) : servers.get(index).port());
  }

  /** The manifests the stack was rendered from (pools, pods, gateway, route). */
  String manifestYaml() {
    return manifestYaml;
  }

  int pickerPort() {
    return picker.port();
  }

  int gatewayPort() {
    return gatewayPort;
  }

  String errorLog() {
    return nginx == null ? "" : nginx.errorLog();
  }

  private static String manifests(int serverPort, Options options) {
    StringBuilder yaml =
        new StringBuilder(
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
          targetPorts: [{number: %d}]
          endpointPickerRef: {name: picker, port: {number: 9002}, failureMode: %s}
        """
                .formatted(serverPort, options.failureMode));
    for (int i = 0; i < options.serverLoras.size(); i++) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: sim-%d, namespace: default, labels: {app: sim}}
          status:
            podIP: %s
            conditions: [{type: Ready, status: "True"}]
          """
              .formatted(i, serverIp(i)));
    }
    if (!options.extraManifests.isBlank()) {
      yaml.append("---\n").append(options.extraManifests);
    }
    return yaml.toString();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stack.close();
  }
}
