package io.igw.bench.live;

import io.igw.api.OwnPickerService;
import io.igw.bench.log.BenchLog;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.RuntimeSettings;
import io.igw.stack.GatewayConfig;
import io.igw.stack.ManagedProcess;
import io.igw.stack.Repo;
import io.igw.stack.TestStack;
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
import java.util.function.UnaryOperator;

/**
 * Starts the live cluster as separate processes from the built jars: one simulator JVM hosting
 * every server, the picker, the controller's {@code render} (nginx.conf for the igw route, checked
 * with {@code nginx -t}), NGINX with that config, and a second NGINX with the baselines. Stops them
 * in reverse order. With a static backend (the overhead test) also the floor and two gateways with
 * a completion feed to the picker, one with token accounting and one without. The picker can be
 * restarted with another preset ({@link #usePreset}); the servers publish KV events when one of the
 * presets reads them.
 */
public final class LiveCluster implements AutoCloseable {
  static final long BODY_LIMIT_BYTES = 4L * 1024 * 1024;

  /** The floor's gateway and stand-in picker listen this far above the igw and picker ports. */
  static final int FLOOR_PORT_OFFSET = 5;

  /** The gateway with a completion feed and token accounting listens this far above igw's port. */
  static final int ACCOUNTED_PORT_OFFSET = 6;

  /** The same gateway rendered with {@code --no-token-usage}. */
  static final int UNACCOUNTED_PORT_OFFSET = 7;

  /** The picker's completion feed (UDP) listens this far above the picker's port. */
  static final int FEED_PORT_OFFSET = 6;

  /** An NGINX the client sends to: its address and its prefix (logs/nginx.pid names its master). */
  public record Gateway(URI uri, Path prefix) {}

  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final LiveSettings settings;
  private final Path work;
  private final BenchLog log;
  private final TestStack stack;
  private ManagedProcess picker;
  private String pickerPreset;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private LiveCluster(LiveSettings settings, Path work, BenchLog log) throws IOException {
    this.settings = settings;
    this.work = work;
    this.log = log;
    this.stack = new TestStack(work, READY_TIMEOUT, 100);
  }

  public static LiveCluster start(LiveSettings settings, Path work, BenchLog log) throws Exception {
    return TestStack.startOrClose(new LiveCluster(settings, work, log), LiveCluster::startAll);
  }

  public URI igwUri() {
    return URI.create("http://127.0.0.1:" + settings.igwPort());
  }

  /**
   * The floor (with a static backend only): the igw config rendered against a stand-in picker that
   * NGINX answers from memory, so njs, the body and the pick subrequest cost what they cost and the
   * picker nothing.
   */
  public URI floorUri() {
    return URI.create("http://127.0.0.1:" + floorPort());
  }

  private int floorPort() {
    return settings.igwPort() + FLOOR_PORT_OFFSET;
  }

  private String floorPicker() {
    return "127.0.0.1:" + (settings.pickerPort() + FLOOR_PORT_OFFSET);
  }

  /**
   * igw with a completion feed and token accounting (static backend only): the njs usage filter
   * reads every answer's usage, and the picker asks streams for their usage chunk, which NGINX
   * drops.
   */
  public Gateway accounted() {
    return new Gateway(
        URI.create("http://127.0.0.1:" + (settings.igwPort() + ACCOUNTED_PORT_OFFSET)),
        work.resolve("accounted"));
  }

  /** {@link #accounted} rendered with {@code --no-token-usage}: the same feed, no usage filter. */
  public Gateway unaccounted() {
    return new Gateway(
        URI.create("http://127.0.0.1:" + (settings.igwPort() + UNACCOUNTED_PORT_OFFSET)),
        work.resolve("unaccounted"));
  }

  /** The direct proxy_pass to server 0 (the baselines' NGINX). */
  public Gateway direct() {
    return new Gateway(
        URI.create("http://127.0.0.1:" + settings.directPort()), work.resolve("baseline"));
  }

  public URI pickerUri() {
    return URI.create("http://127.0.0.1:" + settings.pickerPort());
  }

  public long pickerPid() {
    return picker.pid();
  }

  public URI roundRobinUri() {
    return URI.create("http://127.0.0.1:" + settings.roundRobinPort());
  }

  public URI leastConnUri() {
    return URI.create("http://127.0.0.1:" + settings.leastConnPort());
  }

  /** Empties every server's prefix cache, so each policy starts cold. */
  public void resetPrefixCaches() throws IOException, InterruptedException {
    for (int i = 0; i < settings.servers(); i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://" + settings.serverAddress(i) + "/admin/config"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"resetPrefixCache\": true}"))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "reset of " + settings.serverAddress(i) + " failed: " + response.body());
      }
    }
  }

  private void startAll() throws Exception {
    NginxBinary nginx = stack.nginx();
    Path simulatorJar = Repo.jar(Repo.SIMULATOR_JAR);
    Repo.jar(Repo.PICKER_JAR);
    Repo.jar(Repo.CONTROLLER_JAR);
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Files.writeString(manifests.resolve("bench.yaml"), LiveManifests.render(settings));
    if (settings.staticBackend()) {
      NginxPrefix backend = new NginxPrefix(work.resolve("backend"));
      BaselineNginxConf.writeStaticBackend(
          backend.root(),
          settings,
          settings.baseModel(),
          floorPicker(),
          nginx.jsModule() == null ? null : nginx.jsModule().toString(),
          root());
      stack.startNginx("nginx-backend", backend);
    } else {
      startSimulators(simulatorJar);
    }
    startPicker(settings.schedulerPresets().get(0));
    startGateway("igw", settings.igwPort(), pickerAddress(), g -> g);
    if (settings.staticBackend()) {
      startGateway("floor", floorPort(), floorPicker(), g -> g);
      String feed = "127.0.0.1:" + feedPort();
      startGateway(
          "accounted", accounted().uri().getPort(), pickerAddress(), g -> g.completionFeed(feed));
      startGateway(
          "unaccounted",
          unaccounted().uri().getPort(),
          pickerAddress(),
          g -> g.completionFeed(feed).tokenUsage(false));
    }
    NginxPrefix basePrefix = stack.prefix("baseline");
    Files.writeString(
        basePrefix.conf(),
        BaselineNginxConf.render(
            settings, basePrefix.root().toString(), "127.0.0.1", BODY_LIMIT_BYTES, root()));
    stack.startNginx("nginx-baseline", basePrefix);
    for (int i = 0; i < settings.servers(); i++) {
      stack.awaitOk("http://" + settings.serverAddress(i) + "/health");
    }
    stack.awaitOk("http://127.0.0.1:" + settings.pickerPort() + "/ready");
    stack.awaitOk(igwUri() + "/v1/models");
    if (settings.staticBackend()) {
      stack.awaitOk(floorUri() + "/v1/models");
      stack.awaitOk(accounted().uri() + "/v1/models");
      stack.awaitOk(unaccounted().uri() + "/v1/models");
    }
    stack.awaitOk(roundRobinUri() + "/v1/models");
    stack.awaitOk(leastConnUri() + "/v1/models");
    log.event(
        "live_cluster_ready",
        "servers",
        settings.servers(),
        "time_scale",
        settings.timeScale(),
        "scrape_ms",
        settings.scrapeIntervalMs(),
        "work",
        work);
  }

  /** The preset the picker runs now. */
  public String pickerPreset() {
    return pickerPreset;
  }

  /**
   * Runs the picker with {@code preset}: when it runs another, stops it and starts a fresh one on
   * the same port (NGINX keeps its config), then waits for it to be ready. True when it restarted.
   */
  public boolean usePreset(String preset) throws Exception {
    if (preset.equals(pickerPreset)) {
      return false;
    }
    stack.stop(picker);
    startPicker(preset);
    stack.awaitOk(pickerUri() + "/ready");
    log.event("live_picker_restarted", "preset", preset);
    return true;
  }

  /** The picker's {@code /metrics} text. */
  public String pickerMetrics() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(pickerUri() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("picker /metrics answered " + response.statusCode());
    }
    return response.body();
  }

  private void startPicker(String preset) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ManagedProcess.java(),
                "-Xmx1g",
                "-jar",
                Repo.jar(Repo.PICKER_JAR).toString(),
                "--manifests",
                work.resolve("manifests").toString(),
                "--port",
                Integer.toString(settings.pickerPort()),
                "--scrape-interval-ms",
                Long.toString(settings.scrapeIntervalMs()),
                "--scheduler-preset",
                preset));
    if (settings.staticBackend()) {
      command.addAll(List.of("--syslog-port", Integer.toString(feedPort())));
    }
    picker = stack.start("picker-" + preset, command);
    pickerPreset = preset;
  }

  private String pickerAddress() {
    return "127.0.0.1:" + settings.pickerPort();
  }

  private int feedPort() {
    return settings.pickerPort() + FEED_PORT_OFFSET;
  }

  /**
   * The controller's {@code render} of the manifests into {@code <work>/<name>} (checked with nginx
   * -t; every client unlimited, the benchmark's NGINX workers), then NGINX on it.
   */
  private void startGateway(
      String name, int port, String pickerAddress, UnaryOperator<RuntimeSettings.Builder> more)
      throws IOException, InterruptedException {
    NginxPrefix prefix = stack.prefix(name);
    RuntimeSettings.Builder gateway =
        GatewayConfig.loopbackSettings(stack.nginx(), prefix)
            .pickerAddress(pickerAddress)
            .workerProcesses(settings.nginxWorkers())
            .connectionsPerClient(0);
    new GatewayConfig(more.apply(gateway).build(), port, OwnPickerService.DEFAULT_NAME)
        .renderByController(work.resolve("manifests"), stack.log("controller-" + name));
    stack.startNginx("nginx-" + name, prefix);
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void startSimulators(Path jar) throws IOException {
    stack.start("simulators", simulatorCommand(settings, ManagedProcess.java(), jar));
  }

  /**
   * The simulator JVM hosting every server. When a preset subscribes to KV events ({@link
   * LiveSettings#kvEvents}), each server publishes them as a vLLM pod does: PUB on {@code tcp://*
   * :5557} and replays on 5558 (the wildcard host is the server's own address) under its own topic
   * {@code kv@<ip>@<model>}.
   */
  static List<String> simulatorCommand(LiveSettings settings, String java, Path jar) {
    List<String> ips = new ArrayList<>();
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < settings.servers(); i++) {
      ips.add(settings.serverIp(i));
      topics.add(i + "=" + settings.kvEventsTopic(i));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx2g",
                "-jar",
                jar.toString(),
                "--servers",
                String.join(",", ips),
                "--port",
                Integer.toString(settings.serverPort()),
                "--model",
                settings.baseModel(),
                "--profile",
                settings.profile(),
                "--time-scale",
                Double.toString(settings.timeScale()),
                "--enable-prompt-tokens-details"));
    if (settings.kvEvents()) {
      command.addAll(
          List.of(
              "--kv-events-config",
              "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\","
                  + "\"endpoint\":\"tcp://*:"
                  + LiveSettings.KV_EVENTS_PORT
                  + "\",\"replay_endpoint\":\"tcp://*:"
                  + LiveSettings.KV_EVENTS_REPLAY_PORT
                  + "\"}",
              "--server-kv-events-topic",
              String.join(",", topics)));
    }
    return command;
  }

  @Override
  public void close() {
    stack.close();
  }
}
