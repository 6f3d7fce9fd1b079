package io.igw.e2e;

import io.igw.api.manifest.ManifestReader;
import io.igw.controller.ControllerMain;
import io.igw.controller.GatewayReconciler;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.ResponsePhase;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ManifestFolderSource;
import io.igw.controller.status.LocalStatusFile;
import io.igw.controller.status.StatusBuilder;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.stack.GatewayConfig;
import io.igw.stack.TestStack;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Local mode as users run it, in-process: a manifest folder, the controller's reconciler (called by
 * the test instead of a file watcher, so each step is deterministic), NGINX under its supervisor,
 * the picker, and echo backends standing for the pods; stopped as a {@link TestStack}.
 */
final class LocalModeStack implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  private final TestStack stack;
  final Path manifests;
  final NginxPrefix prefix;
  private final NginxBinary binary;
  private final List<String> eppRequestHeaders;
  private final NginxSupervisor nginx;
  private final ByteArrayOutputStream controllerLog = new ByteArrayOutputStream();
  private PickerServer picker;

  /** Made once the picker listens: the rendered config names the port the picker got. */
  private GatewayReconciler gateway;

  /**
   * The picker's ext_proc options (bridge TLS opt-outs, deadlines); set before the first reconcile.
   */
  io.igw.picker.extproc.ExtProcOptions extProc = new io.igw.picker.extproc.ExtProcOptions();

  LocalModeStack() throws Exception {
    this(List.of());
  }

  /**
   * @param eppRequestHeaders the operator's allow-list of request headers a foreign EPP may set
   */
  LocalModeStack(List<String> eppRequestHeaders) throws Exception {
    this(eppRequestHeaders, ResponsePhase.Mode.REPORT);
  }

  /**
   * @param eppRequestHeaders the operator's allow-list of request headers a foreign EPP may set
   * @param responsePhase how bridged pools' response phase runs ({@code --epp-response-phase});
   *     relay starts the picker's relay on a port of its own and points NGINX at it
   */
  LocalModeStack(List<String> eppRequestHeaders, ResponsePhase.Mode responsePhase)
      throws Exception {
    stack = new TestStack(Files.createTempDirectory("igw-local-"), Duration.ofSeconds(20), 50);
    stack.add(() -> vertx.close());
    binary = stack.nginx();
    this.eppRequestHeaders = eppRequestHeaders;
    this.responsePhase = responsePhase;
    manifests = Files.createDirectories(stack.work().resolve("manifests"));
    prefix = stack.prefix("nginx");
    nginx = new NginxSupervisor(binary, prefix);
  }

  private final ResponsePhase.Mode responsePhase;

  void write(String file, String yaml) throws Exception {
    Files.writeString(manifests.resolve(file), yaml);
  }

  void delete(String file) throws Exception {
    Files.deleteIfExists(manifests.resolve(file));
  }

  /**
   * Starts the picker on the folder's pools and pods (once), then reconciles and waits for the
   * ports.
   */
  void reconcile(int... ports) throws Exception {
    if (picker == null) {
      picker =
          PickerServer.start(
                  vertx,
                  new PickerOptions()
                      .setResources(new ManifestReader().readFolder(manifests))
                      .setExtProc(extProc)
                      .setRelay(
                          new io.igw.picker.relay.RelayOptions()
                              .setPort(responsePhase == ResponsePhase.Mode.RELAY ? 0 : -1))
                      .setPickApi(new PickApiOptions().setHost("127.0.0.1").setPort(0))
                      .setCollector(new CollectorOptions().setScrapeIntervalMs(50))
                      .setCompletionFeed(new CompletionFeedOptions().setPort(0)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      PickerServer started = picker;
      stack.add(
          () ->
              started.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      stack.add(nginx); // started by the first reconcile, stopped before the picker
      PickerView.await(picker.port(), false);
      gateway = reconciler();
    }
    gateway.reconcile();
    for (int port : ports) {
      stack.awaitListening(port);
    }
  }

  private GatewayReconciler reconciler() {
    RuntimeSettings.Builder settings =
        GatewayConfig.loopbackSettings(binary, prefix)
            .pickerAddress("127.0.0.1:" + picker.port())
            .bodyLimitBytes(1024 * 1024)
            .pickTimeoutMs(2000)
            .completionFeed("127.0.0.1:" + picker.completionFeedPort())
            .eppRequestHeaders(eppRequestHeaders);
    if (responsePhase == ResponsePhase.Mode.RELAY) {
      settings.responsePhase(ResponsePhase.relay("127.0.0.1:" + picker.relayPort(), 64));
    }
    return new GatewayReconciler(
        new ManifestFolderSource(manifests)::read,
        GatewayConfig.pipeline(binary, "igw-picker"),
        settings.build(),
        null,
        prefix,
        nginx,
        new StatusBuilder(ControllerMain.CONTROLLER_NAME),
        new LocalStatusFile(prefix),
        new EventLog(new PrintStream(controllerLog, true)));
  }

  String controllerLog() {
    return controllerLog.toString();
  }

  /** The status local mode wrote for one resource, e.g. ("InferencePool", "default/primary"). */
  JsonNode status(String kind, String key) throws Exception {
    JsonNode root =
        new YAMLMapper().readTree(Files.readString(prefix.root().resolve(LocalStatusFile.PATH)));
    for (JsonNode r : root.path("resources")) {
      if (kind.equals(r.path("kind").asString()) && key.equals(r.path("name").asString())) {
        return r.path("status");
      }
    }
    throw new AssertionError("no status for " + kind + " " + key + " in " + root);
  }

  static String condition(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asString())) {
        return c.path("status").asString() + "/" + c.path("reason").asString();
      }
    }
    return "(none)";
  }

  @Override
  public void close() {
    stack.close();
  }

  static Map<String, String> noHeaders() {
    return Map.of();
  }

  static List<String> lines(String s) {
    return s.lines().toList();
  }
}
