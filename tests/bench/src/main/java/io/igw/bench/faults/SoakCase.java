package io.igw.bench.faults;

import io.igw.bench.faults.FaultLoad.Shape;
import io.igw.bench.log.BenchLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mixed load for minutes (streamed and whole answers, short and 64 KiB prompts, FailClose and
 * FailOpen pools), then: the picker's in-flight count back to 0, its heap after a full GC within 20
 * % of the start, and no file descriptor growth in the picker or NGINX (master and workers) beyond
 * 10 % of the start. The start is measured after a warm-up at the same load, so connection pools
 * are already full.
 */
final class SoakCase {
  static final double RPS = 50;
  static final Duration WARM_UP = Duration.ofSeconds(15);
  static final double HEAP_TOLERANCE = 0.20;
  static final double FD_TOLERANCE = 0.10;

  private final FaultCluster cluster;
  private final FaultLoad load;
  private final FaultCases cases;
  private final BenchLog log;

  SoakCase(FaultCluster cluster, FaultLoad load, FaultCases cases, BenchLog log) {
    this.cluster = cluster;
    this.load = load;
    this.cases = cases;
    this.log = log;
  }

  static Shape mixed(int i) {
    return switch (i % 10) {
      case 0, 1 -> new Shape("open", false, 16 + i % 48, 400);
      case 2 -> new Shape("close", true, 16, 64 * 1024);
      default -> new Shape("close", true, 16 + i % 64, 400 + i % 2000);
    };
  }

  CaseResult run(int minutes) throws Exception {
    String goal =
        minutes
            + " min mixed load at "
            + (int) RPS
            + " rps: picker in-flight back to 0, picker heap after GC"
            + " within 20 % of start, no fd growth (picker, NGINX) beyond 10 %";
    load.run(RPS, WARM_UP, SoakCase::mixed);
    long pickerPid = cluster.picker().pid();
    long nginxPid = cluster.nginx().pid();
    long heapStart = FaultCluster.heapAfterGcKib(pickerPid);
    long pickerFdsStart = FaultCluster.openFds(pickerPid);
    long nginxFdsStart = FaultCluster.openFds(nginxPid);
    log.event(
        "faults_soak_start",
        "minutes",
        minutes,
        "heap_kib",
        heapStart,
        "picker_fds",
        pickerFdsStart,
        "nginx_fds",
        nginxFdsStart);
    FaultLoad.Run run = load.start(RPS, Duration.ofMinutes(minutes), SoakCase::mixed);
    List<Long> heapByMinute = new ArrayList<>();
    for (int m = 1; m <= minutes; m++) {
      Thread.sleep(60_000);
      heapByMinute.add(FaultCluster.heapAfterGcKib(pickerPid));
      log.event(
          "faults_soak_minute",
          "minute",
          m,
          "heap_kib",
          heapByMinute.get(m - 1),
          "picker_fds",
          FaultCluster.openFds(pickerPid),
          "nginx_fds",
          FaultCluster.openFds(nginxPid));
    }
    List<Exchange> exchanges = run.awaitAll();
    long lastEnd = exchanges.stream().mapToLong(Exchange::endNanos).max().orElse(System.nanoTime());
    long zeroAt = cases.awaitInFlightZero(lastEnd);
    long heapEnd = FaultCluster.heapAfterGcKib(pickerPid);
    long pickerFdsEnd = FaultCluster.openFds(pickerPid);
    long nginxFdsEnd = FaultCluster.openFds(nginxPid);
    Map<String, Object> measured = new LinkedHashMap<>();
    measured.put("in_flight_zero_after_ms", zeroAt < 0 ? -1 : FaultCases.ms(zeroAt - lastEnd));
    measured.put("heap_start_kib", heapStart);
    measured.put("heap_end_kib", heapEnd);
    measured.put("heap_by_minute_kib", heapByMinute.toString());
    measured.put("picker_fds", pickerFdsStart + "->" + pickerFdsEnd);
    measured.put("nginx_fds", nginxFdsStart + "->" + nginxFdsEnd);
    boolean met =
        zeroAt >= 0
            && heapEnd <= heapStart * (1 + HEAP_TOLERANCE)
            && pickerFdsEnd <= pickerFdsStart * (1 + FD_TOLERANCE)
            && nginxFdsEnd <= nginxFdsStart * (1 + FD_TOLERANCE);
    return CaseResult.of("soak", goal, exchanges, met, measured);
  }
}
