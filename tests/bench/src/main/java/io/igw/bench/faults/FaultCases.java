package io.igw.bench.faults;

import io.igw.bench.faults.FaultLoad.Shape;
import io.igw.bench.log.BenchLog;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault cases, each: load through NGINX, the fault injected for real (SIGKILL, SIGSTOP,
 * reloads, slow sockets) while it runs, then the goal checked on what every client saw. Rates are
 * wall-clock requests per second.
 */
final class FaultCases {
  static final double DEFAULT_RPS = 200;
  static final Duration PICKER_DOWN = Duration.ofSeconds(5);
  static final Duration ROUTING_BACK = Duration.ofSeconds(2);
  static final Duration IN_FLIGHT_SETTLES = Duration.ofSeconds(5);
  static final int RELOADS = 50;
  static final int SLOW_CLIENTS = 200;
  static final int LARGE_PROMPTS = 32;
  static final int LARGE_PROMPT_CHARS = 1024 * 1024 - 256;

  /**
   * Large prompts: a 1 MiB prompt is 262,144 tokens, a minute of prefill at real speed; the servers
   * run faster.
   */
  static final double LARGE_PROMPT_TIME_SCALE = 400;

  private final FaultCluster cluster;
  private final FaultLoad load;
  private final boolean quick;
  private final double rps;
  private final BenchLog log;

  FaultCases(FaultCluster cluster, FaultLoad load, boolean quick, double rps, BenchLog log) {
    this.cluster = cluster;
    this.load = load;
    this.quick = quick;
    this.rps = rps;
    this.log = log;
  }

  static Shape streamed(String pool, int maxTokens) {
    return new Shape(pool, true, maxTokens, 400);
  }

  static Shape whole(String pool, int maxTokens) {
    return new Shape(pool, false, maxTokens, 400);
  }

  /**
   * No fault: what the cluster does at the cases' rate on this machine, the reference for their
   * latencies.
   */
  CaseResult baseline() throws Exception {
    List<Exchange> exchanges =
        load.run(rps, Duration.ofSeconds(quick ? 5 : 10), i -> streamed("close", 8));
    return CaseResult.of(
        "baseline",
        "every request answered 200 (no fault)",
        exchanges,
        exchanges.stream().allMatch(Exchange::ok),
        new LinkedHashMap<>());
  }

  CaseResult pickerKilledFailOpen() throws Exception {
    String goal = "every request answered 200";
    PickerOutage outage = pickerOutage("open");
    boolean met = outage.exchanges.stream().allMatch(Exchange::ok);
    return CaseResult.of("picker-killed-failopen", goal, outage.exchanges, met, outage.measured());
  }

  CaseResult pickerKilledFailClose() throws Exception {
    String goal =
        "only 503 with an OpenAI error body, none past the pick timeout ("
            + FaultCluster.PICK_TIMEOUT_MS
            + " ms); all 200 from "
            + ROUTING_BACK.toSeconds()
            + " s after the restarted picker is ready";
    PickerOutage outage = pickerOutage("close");
    long backAt = outage.readyAt + ROUTING_BACK.toNanos();
    int badAnswers = 0;
    int tooSlow = 0;
    int notBack = 0;
    long last503 = outage.readyAt;
    for (Exchange e : outage.exchanges) {
      if (!e.ok() && !e.openAiError(503)) {
        badAnswers++;
      }
      if (!e.ok() && e.latencyMs() > FaultCluster.PICK_TIMEOUT_MS) {
        tooSlow++;
      }
      if (!e.ok() && e.sentNanos >= outage.readyAt) {
        last503 = Math.max(last503, e.sentNanos);
      }
      if (!e.ok() && e.sentNanos >= backAt) {
        notBack++;
      }
    }
    long after = outage.exchanges.stream().filter(e -> e.sentNanos >= backAt).count();
    Map<String, Object> measured = outage.measured();
    measured.put("other_than_200_or_503_error", badAnswers);
    measured.put("past_pick_timeout", tooSlow);
    measured.put("not_200_after_ready_plus_2s", notBack);
    measured.put("last_503_after_ready_ms", ms(last503 - outage.readyAt));
    boolean met = badAnswers == 0 && tooSlow == 0 && notBack == 0 && after > 0;
    return CaseResult.of("picker-killed-failclose", goal, outage.exchanges, met, measured);
  }

  private record PickerOutage(
      List<Exchange> exchanges, long killedAt, long restartedAt, long readyAt) {
    Map<String, Object> measured() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("down_ms", ms(restartedAt - killedAt));
      m.put("restart_to_ready_ms", ms(readyAt - restartedAt));
      return m;
    }
  }

  /**
   * The picker SIGKILLed 2 s into the load, started again 5 s later; the load runs until 3 s after
   * it is ready.
   */
  private PickerOutage pickerOutage(String pool) throws Exception {
    FaultLoad.Run run = load.start(rps, Duration.ofMinutes(2), i -> streamed(pool, 8));
    Thread.sleep(2000);
    cluster.picker().kill();
    long killedAt = System.nanoTime();
    log.event("faults_picker_killed", "pool", pool);
    Thread.sleep(PICKER_DOWN.toMillis());
    cluster.picker().restart();
    long restartedAt = System.nanoTime();
    long readyAt = cluster.awaitPickerReady();
    log.event(
        "faults_picker_ready", "pool", pool, "restart_to_ready_ms", ms(readyAt - restartedAt));
    Thread.sleep(ROUTING_BACK.toMillis() + 1000);
    return new PickerOutage(run.stopAndAwait(), killedAt, restartedAt, readyAt);
  }

  CaseResult foreignEppKilled() throws Exception {
    String goal =
        "every request answered 200 (the bridged EPP SIGKILLed while serving, not restarted)";
    FaultLoad.Run run = load.start(rps, Duration.ofMinutes(1), i -> streamed("foreign", 8));
    Thread.sleep(2000);
    cluster.foreignEpp().kill();
    log.event("faults_foreign_epp_killed");
    Thread.sleep(quick ? 4000 : 8000);
    List<Exchange> exchanges = run.stopAndAwait();
    cluster.foreignEpp().restart();
    return CaseResult.of(
        "foreign-epp-killed-failopen",
        goal,
        exchanges,
        exchanges.stream().allMatch(Exchange::ok),
        new LinkedHashMap<>());
  }

  CaseResult reloadStorm() throws Exception {
    String goal =
        "0 failed requests, 0 truncated streams (" + RELOADS + " nginx -s reload during the load)";
    long spacingMs = quick ? 200 : 300;
    FaultLoad.Run run = load.start(rps, Duration.ofMinutes(1), i -> streamed("close", 32));
    Thread.sleep(1000);
    for (int i = 0; i < RELOADS; i++) {
      cluster.reloadNginx();
      Thread.sleep(spacingMs);
    }
    Thread.sleep(1000);
    List<Exchange> exchanges = run.stopAndAwait();
    long truncated = exchanges.stream().filter(Exchange::truncated).count();
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("reloads", RELOADS);
    measured.put("truncated", truncated);
    return CaseResult.of(
        "reload-storm", goal, exchanges, exchanges.stream().allMatch(Exchange::ok), measured);
  }

  CaseResult serverKilledBeforeHeaders() throws Exception {
    String goal =
        "every request retried on the next endpoint and served (a server SIGKILLed with whole-body "
            + "requests in flight)";
    int logFrom = cluster.nginxErrorLog().length();
    FaultLoad.Run run = load.start(rps / 2, Duration.ofMinutes(1), i -> whole("close", 200));
    Thread.sleep(1500);
    cluster.victim().kill();
    log.event("faults_server_killed", "address", FaultCluster.victimAddress());
    Thread.sleep(3000);
    List<Exchange> exchanges = run.stopAndAwait();
    long retried = retriesFrom(logFrom);
    restartVictim();
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("retried_after_victim", retried);
    boolean met = exchanges.stream().allMatch(Exchange::ok) && retried > 0;
    return CaseResult.of("server-killed-before-headers", goal, exchanges, met, measured);
  }

  CaseResult serverKilledMidStream() throws Exception {
    String goal =
        "every client sees its stream end (none open at the client timeout); picker in-flight back to 0 "
            + "within "
            + IN_FLIGHT_SETTLES.toSeconds()
            + " s";
    FaultLoad.Run run = load.start(rps / 2, Duration.ofMinutes(1), i -> streamed("close", 300));
    Thread.sleep(1500);
    cluster.victim().kill();
    log.event("faults_server_killed", "address", FaultCluster.victimAddress());
    Thread.sleep(3000);
    List<Exchange> exchanges = run.stopAndAwait();
    long lastEnd = exchanges.stream().mapToLong(Exchange::endNanos).max().orElse(System.nanoTime());
    long zeroAt = awaitInFlightZero(lastEnd);
    restartVictim();
    long hung = exchanges.stream().filter(e -> "ClientTimeout".equals(e.error())).count();
    long cutShort = exchanges.stream().filter(e -> e.status() == 200 && !e.ok()).count();
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("streams_cut", cutShort);
    measured.put("hung", hung);
    measured.put("in_flight_zero_after_ms", zeroAt < 0 ? -1 : ms(zeroAt - lastEnd));
    boolean met =
        hung == 0 && zeroAt >= 0 && zeroAt - lastEnd <= IN_FLIGHT_SETTLES.toNanos() && cutShort > 0;
    return CaseResult.of("server-killed-mid-stream", goal, exchanges, met, measured);
  }

  CaseResult serverHangs() throws Exception {
    long bound = FaultCluster.UPSTREAM_TIMEOUT_MS + 2000;
    String goal =
        "served by the next endpoint or 504, each within the upstream timeout ("
            + FaultCluster.UPSTREAM_TIMEOUT_MS
            + " ms) + 2 s (a server SIGSTOPped)";
    int logFrom = cluster.nginxErrorLog().length();
    FaultLoad.Run run = load.start(rps / 4, Duration.ofMinutes(1), i -> whole("close", 16));
    Thread.sleep(1000);
    cluster.victim().signal("STOP");
    long stoppedAt = System.nanoTime();
    log.event("faults_server_stopped", "address", FaultCluster.victimAddress());
    Thread.sleep(quick ? 4000 : 8000);
    List<Exchange> exchanges = run.stopAndAwait();
    cluster.victim().signal("CONT");
    long retried = retriesFrom(logFrom);
    long wrong = exchanges.stream().filter(e -> !e.ok() && !e.openAiError(504)).count();
    long victimAfterStop =
        exchanges.stream()
            .filter(
                e -> e.endNanos() > stoppedAt && FaultCluster.victimAddress().equals(e.servedBy()))
            .count();
    long late = exchanges.stream().filter(e -> e.latencyMs() > bound).count();
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("retried_after_victim", retried);
    measured.put("neither_200_nor_504", wrong);
    measured.put("served_by_stopped_server", victimAfterStop);
    measured.put("past_bound", late);
    cluster.awaitVictimServing();
    return CaseResult.of(
        "server-hangs",
        goal,
        exchanges,
        wrong == 0 && victimAfterStop == 0 && late == 0 && retried > 0,
        measured);
  }

  CaseResult slowClients() throws Exception {
    String goal =
        "normal requests' p99 with "
            + SLOW_CLIENTS
            + " slow clients (1 byte/s bodies) within 2x of "
            + "without; all normal requests 200";
    Duration each = Duration.ofSeconds(quick ? 6 : 15);
    List<Exchange> before = load.run(rps / 4, each, i -> streamed("close", 16));
    List<Exchange> during;
    int writing;
    try (SlowClients slow =
        SlowClients.open(SLOW_CLIENTS, new InetSocketAddress("127.0.0.1", FaultCluster.IGW_PORT))) {
      Thread.sleep(1500);
      during = load.run(rps / 4, each, i -> streamed("close", 16));
      writing = slow.writing();
    }
    double p99Before = CaseResult.p99(before);
    double p99During = CaseResult.p99(during);
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("p99_without_ms", CaseResult.round(p99Before));
    measured.put("p99_with_ms", CaseResult.round(p99During));
    measured.put("slow_clients_writing", writing);
    boolean met =
        during.stream().allMatch(Exchange::ok)
            && p99During <= 2 * p99Before
            && writing == SLOW_CLIENTS;
    return CaseResult.of("slow-clients", goal, during, met, measured);
  }

  CaseResult largePrompts() throws Exception {
    String goal = "all " + LARGE_PROMPTS + " concurrent 1 MiB prompts served (200)";
    cluster.setTimeScale(LARGE_PROMPT_TIME_SCALE);
    List<Exchange> exchanges;
    try {
      FaultLoad.Run run =
          load.start(
              1000,
              Duration.ofMillis((LARGE_PROMPTS - 1)),
              i -> new Shape(i % 2 == 0 ? "close" : "open", false, 1, LARGE_PROMPT_CHARS));
      exchanges = run.awaitAll();
    } finally {
      cluster.setTimeScale(FaultCluster.TIME_SCALE);
    }
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("prompt_bytes", LARGE_PROMPT_CHARS);
    measured.put("server_time_scale", LARGE_PROMPT_TIME_SCALE);
    return CaseResult.of(
        "large-prompts", goal, exchanges, exchanges.stream().allMatch(Exchange::ok), measured);
  }

  private long retriesFrom(int logFrom) throws Exception {
    String text = cluster.nginxErrorLog();
    String tail = text.length() > logFrom ? text.substring(logFrom) : text;
    String needle = "endpoint failed, trying next endpoint=" + FaultCluster.victimAddress();
    return tail.lines().filter(l -> l.contains(needle)).count();
  }

  private void restartVictim() throws Exception {
    cluster.victim().restart();
    cluster.awaitVictimServing();
  }

  /**
   * When the picker's in-flight count is 0 (System.nanoTime), or -1 if not within 3× the allowed
   * time.
   */
  long awaitInFlightZero(long from) throws Exception {
    long deadline = from + 3 * IN_FLIGHT_SETTLES.toNanos();
    while (System.nanoTime() < deadline) {
      if (cluster.pickerInFlight() == 0) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    return -1;
  }

  static long ms(long nanos) {
    return Math.round(nanos / 1e6);
  }
}
