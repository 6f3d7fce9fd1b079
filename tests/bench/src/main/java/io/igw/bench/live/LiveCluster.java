package io.igw.bench.live;

import io.igw.bench.log.BenchLog;
import io.igw.controller.apply.NginxBinary;
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
  static final Path SIMULATOR_JAR = Path.of("tests/simulator/target/igw-simulator.jar");
  static final Path PICKER_JAR = Path.of("picker/target/igw-picker.jar");
  static final Path CONTROLLER_JAR = Path.of("controller/target/igw-controller.jar");
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
  private final List<ManagedProcess> processes = new ArrayList<>();
  private ManagedProcess picker;
  private String pickerPreset;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private LiveCluster(LiveSettings settings, Path work, BenchLog log) {
    this.settings = settings;
    this.work = work;
    this.log = log;
  }

  public static LiveCluster start(LiveSettings settings, Path work, BenchLog log) throws Exception {
    LiveCluster cluster = new LiveCluster(settings, work, log);
    try {
      cluster.startAll();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
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
    NginxBinary nginx =
        NginxBinary.find().orElseThrow(() -> new IOException("nginx not found: run ./igw deps"));
    for (Path jar : List.of(SIMULATOR_JAR, PICKER_JAR, CONTROLLER_JAR)) {
      if (!Files.exists(jar)) {
        throw new IOException(jar + " missing: run ./igw build");
      }
    }
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Files.writeString(manifests.resolve("bench.yaml"), LiveManifests.render(settings));
    if (settings.staticBackend()) {
      Path backend = work.resolve("backend");
      BaselineNginxConf.writeStaticBackend(
          backend,
          settings,
          settings.baseModel(),
          floorPicker(),
          nginx.jsModule() == null ? null : nginx.jsModule().toString(),
          root());
      startNginx("nginx-backend", nginx, backend);
    } else {
      startSimulators();
    }
    startPicker(settings.schedulerPresets().get(0));
    renderGateway(
        nginx, "igw", work.resolve("igw"), settings.igwPort(), pickerAddress(), List.of());
    if (settings.staticBackend()) {
      renderGateway(nginx, "floor", work.resolve("floor"), floorPort(), floorPicker(), List.of());
      String feed = "127.0.0.1:" + feedPort();
      renderGateway(
          nginx,
          "accounted",
          accounted().prefix(),
          accounted().uri().getPort(),
          pickerAddress(),
          List.of("--completion-feed", feed));
      renderGateway(
          nginx,
          "unaccounted",
          unaccounted().prefix(),
          unaccounted().uri().getPort(),
          pickerAddress(),
          List.of("--completion-feed", feed, "--no-token-usage"));
    }
    Path basePrefix = prefix(work.resolve("baseline"));
    Files.writeString(
        basePrefix.resolve("conf/nginx.conf"),
        BaselineNginxConf.render(
            settings,
            basePrefix.toAbsolutePath().toString(),
            "127.0.0.1",
            BODY_LIMIT_BYTES,
            root()));
    startNginx("nginx-baseline", nginx, basePrefix);
    for (int i = 0; i < settings.servers(); i++) {
      awaitOk("http://" + settings.serverAddress(i) + "/health");
    }
    awaitOk("http://127.0.0.1:" + settings.pickerPort() + "/ready");
    awaitOk(igwUri() + "/v1/models");
    if (settings.staticBackend()) {
      awaitOk(floorUri() + "/v1/models");
      awaitOk(accounted().uri() + "/v1/models");
      awaitOk(unaccounted().uri() + "/v1/models");
    }
    awaitOk(roundRobinUri() + "/v1/models");
    awaitOk(leastConnUri() + "/v1/models");
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
    processes.remove(picker);
    picker.close();
    startPicker(preset);
    awaitOk(pickerUri() + "/ready");
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
                java(),
                "-Xmx1g",
                "-jar",
                PICKER_JAR.toString(),
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
    picker = start("picker-" + preset, command);
    pickerPreset = preset;
  }

  private String pickerAddress() {
    return "127.0.0.1:" + settings.pickerPort();
  }

  private int feedPort() {
    return settings.pickerPort() + FEED_PORT_OFFSET;
  }

  /**
   * The controller's {@code render} of the manifests into {@code prefix} (checked with nginx -t),
   * then NGINX on it.
   */
  private void renderGateway(
      NginxBinary nginx,
      String name,
      Path prefix,
      int port,
      String pickerAddress,
      List<String> options)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                CONTROLLER_JAR.toString(),
                "render",
                "--manifests",
                work.resolve("manifests").toString(),
                "--prefix",
                prefix.toString(),
                "--port",
                Integer.toString(port),
                "--picker",
                pickerAddress,
                "--workers",
                Integer.toString(settings.nginxWorkers()),
                "--connections-per-client",
                "0"));
    command.addAll(options);
    ManagedProcess.runToEnd(
        "controller render " + name, command, work.resolve("controller-" + name + ".log"));
    startNginx("nginx-" + name, nginx, prefix);
  }

  private static Path prefix(Path root) throws IOException {
    for (String dir : List.of("conf", "logs", "tmp")) {
      Files.createDirectories(root.resolve(dir));
    }
    return root;
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void startSimulators() throws IOException {
    start("simulators", simulatorCommand(settings, java()));
  }

  /**
   * The simulator JVM hosting every server. When a preset subscribes to KV events ({@link
   * LiveSettings#kvEvents}), each server publishes them as a vLLM pod does: PUB on {@code tcp://*
   * :5557} and replays on 5558 (the wildcard host is the server's own address) under its own topic
   * {@code kv@<ip>@<model>}.
   */
  static List<String> simulatorCommand(LiveSettings settings, String java) {
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
                SIMULATOR_JAR.toString(),
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

  private void startNginx(String name, NginxBinary nginx, Path prefix) throws IOException {
    Path root = prefix.toAbsolutePath();
    io.igw.controller.apply.LoopbackTargets.check(root.resolve("conf/nginx.conf"));
    start(
        name,
        List.of(
            nginx.executable().toString(),
            "-p",
            root + "/",
            "-c",
            root.resolve("conf/nginx.conf").toString(),
            "-g",
            "daemon off;"));
  }

  private ManagedProcess start(String name, List<String> command) throws IOException {
    ManagedProcess process = ManagedProcess.start(name, command, work.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  private void awaitOk(String url) throws Exception {
    ReadyProbe.awaitOk(http, url, READY_TIMEOUT, 100, processes, work);
  }

  private static String java() {
    return ReadyProbe.java();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
  }
}
