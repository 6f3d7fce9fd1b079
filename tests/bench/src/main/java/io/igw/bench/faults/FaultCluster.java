package io.igw.bench.faults;

import io.igw.api.OwnPickerService;
import io.igw.bench.log.BenchLog;
import io.igw.controller.apply.NginxPrefix;
import io.igw.stack.GatewayConfig;
import io.igw.stack.ManagedProcess;
import io.igw.stack.NginxProcess;
import io.igw.stack.Repo;
import io.igw.stack.TestStack;
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

  /** The processes the cases kill on purpose (picker, victim, foreign EPP) may be down a while. */
  private final TestStack stack;

  private ManagedProcess picker;
  private ManagedProcess foreignEpp;
  private ManagedProcess victim;
  private NginxProcess nginx;

  private FaultCluster(Path work, BenchLog log) throws IOException {
    this.work = work;
    this.log = log;
    this.stack = new TestStack(work, READY_TIMEOUT, 20);
  }

  static FaultCluster start(Path work, BenchLog log) throws Exception {
    return TestStack.startOrClose(new FaultCluster(work, log), FaultCluster::startAll);
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

  NginxProcess nginx() {
    return nginx;
  }

  Path work() {
    return work;
  }

  private void startAll() throws Exception {
    Path simulatorJar = Repo.jar(Repo.SIMULATOR_JAR);
    Path pickerJar = Repo.jar(Repo.PICKER_JAR);
    Repo.jar(Repo.CONTROLLER_JAR);
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Files.writeString(manifests.resolve("faults.yaml"), FaultManifests.render());
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < SERVERS; i++) {
      ips.add(serverAddress(i).split(":")[0]);
    }
    stack.start("simulators", simulator(simulatorJar, "--servers", String.join(",", ips)));
    victim =
        stack.startKillable(
            "victim", simulator(simulatorJar, "--host", victimAddress().split(":")[0]));
    picker =
        stack.startKillable(
            "picker",
            List.of(
                ManagedProcess.java(),
                "-Xmx1g",
                "-jar",
                pickerJar.toString(),
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
        stack.startKillable(
            "foreign-epp",
            List.of(
                ManagedProcess.java(),
                "-Xmx512m",
                "-jar",
                pickerJar.toString(),
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
    NginxPrefix igwPrefix = stack.prefix("igw");
    new GatewayConfig(
            GatewayConfig.loopbackSettings(stack.nginx(), igwPrefix)
                .pickerAddress("127.0.0.1:" + PICKER_PORT)
                .workerProcesses(2)
                .connectionsPerClient(0)
                .completionFeed("127.0.0.1:" + FEED_PORT)
                .upstreamTimeoutMs(UPSTREAM_TIMEOUT_MS)
                .build(),
            IGW_PORT,
            OwnPickerService.DEFAULT_NAME)
        .renderByController(manifests, stack.log("controller"));
    nginx = stack.startNginx("nginx-igw", igwPrefix);
    for (int i = 0; i <= SERVERS; i++) {
      stack.awaitOk("http://" + serverAddress(i) + "/health");
    }
    awaitPickerReady();
    stack.awaitOk("http://127.0.0.1:" + FOREIGN_PORT + "/ready");
    stack.awaitOk(igwUri() + "/v1/models");
    log.event(
        "faults_cluster_ready", "servers", SERVERS + 1, "time_scale", TIME_SCALE, "work", work);
  }

  private static List<String> simulator(Path jar, String... where) {
    List<String> command =
        new ArrayList<>(List.of(ManagedProcess.java(), "-Xmx1g", "-jar", jar.toString()));
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

  /** Waits for the picker's /ready; returns when it answered 200 (System.nanoTime). */
  long awaitPickerReady() throws Exception {
    stack.awaitOk("http://127.0.0.1:" + PICKER_PORT + "/ready");
    return System.nanoTime();
  }

  /** Waits for a restarted victim to serve, and for the picker to have scraped it again. */
  void awaitVictimServing() throws Exception {
    stack.awaitOk("http://" + victimAddress() + "/health");
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
    nginx.reload(stack.log("reload"));
  }

  String nginxErrorLog() {
    return nginx.errorLog();
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

  @Override
  public void close() {
    try {
      if (victim != null) {
        victim.signal("CONT"); // a stopped victim would not see the SIGTERM of close
      }
    } catch (IOException | InterruptedException ignored) {
      // gone already
    }
    stack.close();
  }
}
