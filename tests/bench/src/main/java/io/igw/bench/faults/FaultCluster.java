package io.igw.bench.faults;

import io.igw.bench.live.ManagedProcess;
import io.igw.bench.live.ReadyProbe;
import io.igw.bench.log.BenchLog;
import io.igw.controller.apply.NginxBinary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster the fault cases run on, every part its own process so it can be killed for real: one
 * simulator JVM with {@link #SERVERS} servers, a fifth server alone in its JVM (the victim of the
 * server cases), igw's picker (with the completion feed), a second picker serving ext_proc (the
 * foreign EPP of pool "foreign", bridged by the first) and NGINX rendered by the controller. Three
 * pools over the same pods, chosen by the {@code x-bench-pool} header: close (FailClose, the
 * default), open (FailOpen) and foreign (FailOpen, someone else's EPP).
 */
final class FaultCluster implements AutoCloseable {
  static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String IP_PREFIX = "127.0.0.";
  static final int FIRST_IP = 71;
  static final int SERVERS = 4;
  static final int SERVER_PORT = 18600;
  static final int IGW_PORT = 18681;
  static final int PICKER_PORT = 18690;
  static final int FEED_PORT = 18691;
  static final int FOREIGN_PORT = 18692;
  static final int FOREIGN_EXT_PROC_PORT = 18693;
  static final double TIME_SCALE = 10;
  static final long SCRAPE_INTERVAL_MS = 50;

  /** NGINX's wait on a model server (between reads) before it tries the next endpoint. */
  static final int UPSTREAM_TIMEOUT_MS = 10_000;

  /** NGINX's wait for a pick (the controller's default). */
  static final int PICK_TIMEOUT_MS =
      io.igw.controller.model.RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS;

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Path work;
  private final BenchLog log;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final List<ManagedProcess> processes = new ArrayList<>();
  private NginxBinary nginxBinary;
  private Path igwPrefix;
  private ManagedProcess picker;
  private ManagedProcess foreignEpp;
  private ManagedProcess victim;
  private ManagedProcess nginx;

  private FaultCluster(Path work, BenchLog log) {
    this.work = work;
    this.log = log;
  }

  static FaultCluster start(Path work, BenchLog log) throws Exception {
    FaultCluster cluster = new FaultCluster(work, log);
    try {
      cluster.startAll();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  static String serverAddress(int index) {
    return IP_PREFIX + (FIRST_IP + index) + ":" + SERVER_PORT;
  }

  static String victimAddress() {
    return serverAddress(SERVERS);
  }

  URI igwUri() {
    return URI.create("http://127.0.0.1:" + IGW_PORT);
  }

  ManagedProcess picker() {
    return picker;
  }

  ManagedProcess foreignEpp() {
    return foreignEpp;
  }

  ManagedProcess victim() {
    return victim;
  }

  ManagedProcess nginx() {
    return nginx;
  }

  Path work() {
    return work;
  }

  private void startAll() throws Exception {
    nginxBinary =
        NginxBinary.find().orElseThrow(() -> new IOException("nginx not found: run ./igw deps"));
    for (Path jar : List.of(Jars.SIMULATOR, Jars.PICKER, Jars.CONTROLLER)) {
      if (!Files.exists(jar)) {
        throw new IOException(jar + " missing: run ./igw build");
      }
    }
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Files.writeString(manifests.resolve("faults.yaml"), FaultManifests.render());
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < SERVERS; i++) {
      ips.add(serverAddress(i).split(":")[0]);
    }
    start("simulators", simulator("--servers", String.join(",", ips)));
    victim = start("victim", simulator("--host", victimAddress().split(":")[0]));
    picker =
        start(
            "picker",
            List.of(
                java(),
                "-Xmx1g",
                "-jar",
                Jars.PICKER.toString(),
                "--manifests",
                manifests.toString(),
                "--port",
                Integer.toString(PICKER_PORT),
                "--scrape-interval-ms",
                Long.toString(SCRAPE_INTERVAL_MS),
                "--syslog-port",
                Integer.toString(FEED_PORT),
                "--epp-tls",
                "plaintext"));
    foreignEpp =
        start(
            "foreign-epp",
            List.of(
                java(),
                "-Xmx512m",
                "-jar",
                Jars.PICKER.toString(),
                "--manifests",
                manifests.toString(),
                "--port",
                Integer.toString(FOREIGN_PORT),
                "--scrape-interval-ms",
                Long.toString(SCRAPE_INTERVAL_MS * 4),
                "--ext-proc-port",
                Integer.toString(FOREIGN_EXT_PROC_PORT),
                "--ext-proc-pool",
                FaultManifests.FOREIGN_POOL,
                "--picker-service",
                FaultManifests.FOREIGN_EPP_SERVICE));
    igwPrefix = work.resolve("igw");
    ManagedProcess.runToEnd(
        "controller render",
        List.of(
            java(),
            "-jar",
            Jars.CONTROLLER.toString(),
            "render",
            "--manifests",
            manifests.toString(),
            "--prefix",
            igwPrefix.toString(),
            "--port",
            Integer.toString(IGW_PORT),
            "--picker",
            "127.0.0.1:" + PICKER_PORT,
            "--workers",
            "2",
            "--connections-per-client",
            "0",
            "--completion-feed",
            "127.0.0.1:" + FEED_PORT,
            "--upstream-timeout-ms",
            Integer.toString(UPSTREAM_TIMEOUT_MS)),
        work.resolve("controller.log"));
    Path root = igwPrefix.toAbsolutePath();
    nginx =
        start(
            "nginx-igw",
            List.of(
                nginxBinary.executable().toString(),
                "-p",
                root + "/",
                "-c",
                root.resolve("conf/nginx.conf").toString(),
                "-g",
                "daemon off;"));
    for (int i = 0; i <= SERVERS; i++) {
      awaitOk("http://" + serverAddress(i) + "/health");
    }
    awaitPickerReady();
    awaitOk("http://127.0.0.1:" + FOREIGN_PORT + "/ready");
    awaitOk(igwUri() + "/v1/models");
    log.event(
        "faults_cluster_ready", "servers", SERVERS + 1, "time_scale", TIME_SCALE, "work", work);
  }

  private List<String> simulator(String... where) {
    List<String> command =
        new ArrayList<>(List.of(java(), "-Xmx1g", "-jar", Jars.SIMULATOR.toString()));
    command.addAll(List.of(where));
    command.addAll(
        List.of(
            "--port",
            Integer.toString(SERVER_PORT),
            "--model",
            MODEL,
            "--time-scale",
            Double.toString(TIME_SCALE)));
    return command;
  }

  private ManagedProcess start(String name, List<String> command) throws IOException {
    ManagedProcess p = ManagedProcess.start(name, command, work.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  /** Waits for the picker's /ready; returns when it answered 200 (System.nanoTime). */
  long awaitPickerReady() throws Exception {
    awaitOk("http://127.0.0.1:" + PICKER_PORT + "/ready");
    return System.nanoTime();
  }

  /** Waits for a restarted victim to serve, and for the picker to have scraped it again. */
  void awaitVictimServing() throws Exception {
    awaitOk("http://" + victimAddress() + "/health");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (victimScrapedAfter(System.currentTimeMillis() - 2 * SCRAPE_INTERVAL_MS)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IOException("the picker does not see the restarted victim");
  }

  private boolean victimScrapedAfter(long millis) throws Exception {
    for (JsonObject e : pickerEndpoints()) {
      JsonObject m = e.getJsonObject("metrics");
      if (victimAddress().equals(e.getString("address"))
          && m != null
          && m.getLong("scrapedAtMillis", 0L) > millis) {
        return true;
      }
    }
    return false;
  }

  /** Requests in flight as igw's picker counts them, every pool's endpoints together. */
  long pickerInFlight() throws Exception {
    return pickerEndpoints().stream().mapToLong(e -> e.getLong("inFlight", 0L)).sum();
  }

  private List<JsonObject> pickerEndpoints() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PICKER_PORT + "/debug/pools"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<JsonObject> out = new ArrayList<>();
    for (Object pool : new JsonObject(r.body()).getJsonArray("pools", new JsonArray())) {
      for (Object e : ((JsonObject) pool).getJsonArray("endpoints")) {
        out.add((JsonObject) e);
      }
    }
    return out;
  }

  /** Changes every server's speed at run time (the simulator's /admin/config). */
  void setTimeScale(double timeScale) throws Exception {
    for (int i = 0; i <= SERVERS; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + serverAddress(i) + "/admin/config"))
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          new JsonObject().put("timeScale", timeScale).encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("time scale of " + serverAddress(i) + ": " + r.body());
      }
    }
  }

  /**
   * {@code nginx -s reload}: the master re-reads its config and replaces its workers gracefully.
   */
  void reloadNginx() throws IOException, InterruptedException {
    Path root = igwPrefix.toAbsolutePath();
    ManagedProcess.runToEnd(
        "nginx reload",
        List.of(
            nginxBinary.executable().toString(),
            "-p",
            root + "/",
            "-c",
            root.resolve("conf/nginx.conf").toString(),
            "-s",
            "reload"),
        work.resolve("reload.log"));
  }

  String nginxErrorLog() throws IOException {
    Path log = igwPrefix.resolve("logs/error.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), in KiB. */
  static long heapAfterGcKib(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no heap use in jcmd GC.heap_info: " + info);
    }
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  /** Open file descriptors of a process and its children (NGINX: master and workers). */
  static long openFds(long pid) {
    long fds = countFds(pid);
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(List.of())) {
      fds += countFds(child.pid());
    }
    return fds;
  }

  private static long countFds(long pid) {
    try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return list.count();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The processes killed on purpose by the cases (picker, victim, foreign EPP) may be down while
   * another starts.
   */
  private void awaitOk(String url) throws Exception {
    List<ManagedProcess> mustStayAlive =
        processes.stream().filter(p -> p != picker && p != victim && p != foreignEpp).toList();
    ReadyProbe.awaitOk(http, url, READY_TIMEOUT, 20, mustStayAlive, work);
  }

  static String java() {
    return ReadyProbe.java();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      ManagedProcess p = processes.get(i);
      try {
        if (p == victim) {
          p.signal("CONT");
        }
      } catch (IOException | InterruptedException ignored) {
        // gone already
      }
      p.close();
    }
    processes.clear();
  }
}
