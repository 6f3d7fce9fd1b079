package io.igw.bench.overhead;

import io.igw.bench.live.LiveCluster;
import io.igw.bench.live.LiveSettings;
import io.igw.bench.log.BenchLog;
import io.igw.bench.report.RunProvenance;
import io.igw.bench.workload.WorkloadPresets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overhead}: what the igw inference path (njs, pick subrequest to the picker, internal
 * redirect, proxy_pass) costs over a plain {@code proxy_pass} to the same zero-latency backend
 * (NGINX answering from memory, with vLLM-style /metrics for the picker), both through NGINX with
 * one worker: closed-loop throughput and open-loop latency at fixed rates; and what token
 * accounting costs on streamed answers ({@link StreamedOverhead}).
 */
@Command(
    name = "overhead",
    mixinStandardHelpOptions = true,
    description = "gateway overhead: igw inference path vs direct proxy_pass, one NGINX worker")
public final class OverheadCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "shorter probes")
  boolean quick;

  @Option(
      names = "--connections",
      defaultValue = "16",
      description = "closed-loop connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "50,200,500",
      description = "open-loop rates, requests/s (default: ${DEFAULT-VALUE})")
  List<Double> rates;

  @Option(
      names = "--prompt-sizes",
      split = ",",
      defaultValue = "1024,32768,225280,1048576",
      description =
          "body sizes in bytes for the direct / floor / igw comparison (default: ${DEFAULT-VALUE})")
  List<Integer> promptSizes;

  @Option(
      names = "--streamed-only",
      description = "only the streamed section (what token accounting costs a 500-token stream)")
  boolean streamedOnly;

  @Option(names = "--results", defaultValue = "results")
  Path results;

  @Override
  public Integer call() throws Exception {
    double seconds = quick ? 5 : 15;
    LiveSettings settings =
        new LiveSettings(
            1,
            1,
            "llama-8b-h100",
            WorkloadPresets.SMALL_MODEL,
            LiveSettings.DEFAULT_SERVER_PORT,
            LiveSettings.DEFAULT_PICKER_PORT,
            LiveSettings.DEFAULT_IGW_PORT,
            LiveSettings.DEFAULT_ROUND_ROBIN_PORT,
            LiveSettings.DEFAULT_LEAST_CONN_PORT,
            LiveSettings.DEFAULT_DIRECT_PORT,
            1,
            List.of(),
            true);
    Path work = Files.createTempDirectory("igw-overhead-");
    List<String> rows = new ArrayList<>();
    List<String> sizeRows = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    StreamedOverhead.Section streamed;
    try (LiveCluster cluster = LiveCluster.start(settings, work, BenchLog.STDERR);
        HttpProbe igw =
            new HttpProbe(cluster.igwUri(), HttpProbe.BODY.formatted(settings.baseModel()));
        HttpProbe direct =
            new HttpProbe(
                URI.create("http://127.0.0.1:" + settings.directPort()),
                HttpProbe.BODY.formatted(settings.baseModel()))) {
      // first: its checks fail fast, and igw's paths have not yet filled the picker's in-flight
      // table (the feedless igw gateway never completes its picks there)
      streamed =
          new StreamedOverhead(
                  cluster,
                  settings.baseModel(),
                  connections,
                  seconds,
                  quick ? 2 : 3,
                  BenchLog.STDERR)
              .run();
      if (!streamedOnly) {
        others(cluster, settings, work, seconds, igw, direct, md, rows, sizeRows);
      }
    }
    Path folder =
        results.resolve(
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-overhead");
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve("overhead.csv"),
        "probe,direct_rps,igw_rps,direct_p50_ms,igw_p50_ms,"
            + "direct_p99_ms,igw_p99_ms,direct_failed,igw_failed\n"
            + String.join("\n", rows)
            + "\n",
        StandardCharsets.UTF_8);
    md.append(sizesTable).append(streamed.markdown());
    Files.writeString(
        folder.resolve("overhead-streamed.csv"), streamed.csv(), StandardCharsets.UTF_8);
    Files.writeString(
        folder.resolve("overhead-sizes.csv"),
        "body_bytes,direct_rps,floor_rps,igw_rps,floor_over_direct,igw_over_direct,igw_over_floor,"
            + "failed_direct,failed_floor,failed_igw\n"
            + String.join("\n", sizeRows)
            + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("summary.md"), md.toString(), StandardCharsets.UTF_8);
    System.out.println(md);
    log("overhead_results", "folder", folder, "logs", work);
    return 0;
  }

  /** The small-request closed loop, wrk, the body sizes and the fixed rates. */
  private void others(
      LiveCluster cluster,
      LiveSettings settings,
      Path work,
      double seconds,
      HttpProbe igw,
      HttpProbe direct,
      StringBuilder md,
      List<String> rows,
      List<String> sizeRows)
      throws Exception {
    igw.closedLoop(connections, 3);

    direct.closedLoop(connections, 3);
    HttpProbe.Result d = direct.closedLoop(connections, seconds);
    HttpProbe.Result i = igw.closedLoop(connections, seconds);
    log(
        "overhead_closed_loop",
        "connections",
        connections,
        "direct_rps",
        fmt(d.requestsPerSecond()),
        "igw_rps",
        fmt(i.requestsPerSecond()));
    md.append("### gateway overhead\n\nCommand: `")
        .append(RunProvenance.commandLine())
        .append("`\n\n")
        .append("- one NGINX worker per path, ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(
            " cores shared by NGINX, njs, the picker, the backend and the client; backend: NGINX answering a ")
        .append(
            "fixed completion from memory; small non-streamed request; latency counted from the intended send ")
        .append("time\n\n")
        .append(
            "| probe | direct req/s | igw req/s | igw/direct | direct p50 ms | igw p50 ms | added p50 ms | ")
        .append("direct p99 ms | igw p99 ms | added p99 ms | failed (direct/igw) |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    row(md, rows, "closed loop, " + connections + " connections (Java client)", d, i);
    var wrk = WrkProbe.find(work, settings.baseModel());
    if (wrk.isPresent()) {
      URI directUri = URI.create("http://127.0.0.1:" + settings.directPort());
      wrk.get().requestsPerSecond(directUri, connections, 3);
      wrk.get().requestsPerSecond(cluster.igwUri(), connections, 3);
      double wd = wrk.get().requestsPerSecond(directUri, connections, seconds);
      double wi = wrk.get().requestsPerSecond(cluster.igwUri(), connections, seconds);
      log("overhead_wrk", "connections", connections, "direct_rps", fmt(wd), "igw_rps", fmt(wi));
      md.append("| closed loop, ")
          .append(connections)
          .append(" connections (wrk) | ")
          .append(fmt(wd))
          .append(" | ")
          .append(fmt(wi))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", wi / wd))
          .append(" | | | | | | | |\n");
      rows.add("\"closed loop wrk\"," + fmt(wd) + "," + fmt(wi) + ",,,,,,");
    }
    sizes(cluster, settings, seconds, md, sizeRows);
    for (double rate : rates) {
      HttpProbe.Result fd = direct.fixedRate(rate, seconds);
      HttpProbe.Result fi = igw.fixedRate(rate, seconds);
      log(
          "overhead_fixed_rate",
          "rps",
          fmt(rate),
          "direct_p50_ms",
          fmt(fd.p50Millis()),
          "igw_p50_ms",
          fmt(fi.p50Millis()),
          "direct_p99_ms",
          fmt(fd.p99Millis()),
          "igw_p99_ms",
          fmt(fi.p99Millis()));
      row(md, rows, "fixed rate " + fmt(rate) + " req/s", fd, fi);
    }
  }

  /**
   * Closed loop at each body size, three paths in one run against the same zero-cost backend:
   * direct proxy_pass, the floor (njs and the pick subrequest to a stand-in picker answering from
   * memory) and igw. Both NGINX configs buffer the whole body in memory (client_body_buffer_size =
   * client_max_body_size), so no path spills to a temp file.
   */
  private void sizes(
      LiveCluster cluster,
      LiveSettings settings,
      double seconds,
      StringBuilder md,
      List<String> rows)
      throws InterruptedException {
    StringBuilder table =
        new StringBuilder("\n### by body size (closed loop, ")
            .append(connections)
            .append(" connections)\n\n")
            .append(
                "floor: the igw config with a stand-in picker that answers every pick from memory (njs reads ")
            .append(
                "the body, the pick subrequest carries it); igw/floor is the picker's share\n\n")
            .append(
                "| body bytes | direct req/s | floor req/s | igw req/s | floor/direct | igw/direct | ")
            .append(
                "igw/floor | failed (direct/floor/igw) |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    URI direct = URI.create("http://127.0.0.1:" + settings.directPort());
    List<String> bodies = new ArrayList<>();
    bodies.add(HttpProbe.BODY.formatted(settings.baseModel()));
    for (int size : promptSizes) {
      bodies.add(HttpProbe.bodyOfSize(settings.baseModel(), size));
    }
    for (String body : bodies) {
      try (HttpProbe d = new HttpProbe(direct, body);
          HttpProbe f = new HttpProbe(cluster.floorUri(), body);
          HttpProbe i = new HttpProbe(cluster.igwUri(), body)) {
        d.closedLoop(connections, 2);
        f.closedLoop(connections, 2);
        i.closedLoop(connections, 2);
        HttpProbe.Result rd = d.closedLoop(connections, seconds);
        HttpProbe.Result rf = f.closedLoop(connections, seconds);
        HttpProbe.Result ri = i.closedLoop(connections, seconds);
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        log(
            "overhead_body_size",
            "bytes",
            bytes,
            "direct_rps",
            fmt(rd.requestsPerSecond()),
            "floor_rps",
            fmt(rf.requestsPerSecond()),
            "igw_rps",
            fmt(ri.requestsPerSecond()));
        String fd = ratio(rf, rd);
        String id = ratio(ri, rd);
        String iF = ratio(ri, rf);
        table
            .append("| ")
            .append(bytes)
            .append(" | ")
            .append(fmt(rd.requestsPerSecond()))
            .append(" | ")
            .append(fmt(rf.requestsPerSecond()))
            .append(" | ")
            .append(fmt(ri.requestsPerSecond()))
            .append(" | ")
            .append(fd)
            .append(" | ")
            .append(id)
            .append(" | ")
            .append(iF)
            .append(" | ")
            .append(rd.failed())
            .append("/")
            .append(rf.failed())
            .append("/")
            .append(ri.failed())
            .append(" |\n");
        rows.add(
            String.join(
                ",",
                Integer.toString(bytes),
                fmt(rd.requestsPerSecond()),
                fmt(rf.requestsPerSecond()),
                fmt(ri.requestsPerSecond()),
                fd,
                id,
                iF,
                Long.toString(rd.failed()),
                Long.toString(rf.failed()),
                Long.toString(ri.failed())));
      }
    }
    sizesTable = table.toString();
  }

  /** Printed after the first table. */
  private String sizesTable = "";

  private static String ratio(HttpProbe.Result a, HttpProbe.Result b) {
    return String.format(Locale.ROOT, "%.2f", a.requestsPerSecond() / b.requestsPerSecond());
  }

  private static void row(
      StringBuilder md, List<String> rows, String probe, HttpProbe.Result d, HttpProbe.Result i) {
    md.append("| ")
        .append(probe)
        .append(" | ")
        .append(fmt(d.requestsPerSecond()))
        .append(" | ")
        .append(fmt(i.requestsPerSecond()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.2f", i.requestsPerSecond() / d.requestsPerSecond()))
        .append(" | ")
        .append(fmt(d.p50Millis()))
        .append(" | ")
        .append(fmt(i.p50Millis()))
        .append(" | ")
        .append(fmt(i.p50Millis() - d.p50Millis()))
        .append(" | ")
        .append(fmt(d.p99Millis()))
        .append(" | ")
        .append(fmt(i.p99Millis()))
        .append(" | ")
        .append(fmt(i.p99Millis() - d.p99Millis()))
        .append(" | ")
        .append(d.failed())
        .append("/")
        .append(i.failed())
        .append(" |\n");
    rows.add(
        String.join(
            ",",
            "\"" + probe + "\"",
            fmt(d.requestsPerSecond()),
            fmt(i.requestsPerSecond()),
            fmt(d.p50Millis()),
            fmt(i.p50Millis()),
            fmt(d.p99Millis()),
            fmt(i.p99Millis()),
            Long.toString(d.failed()),
            Long.toString(i.failed())));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }

  private static void log(String event, Object... keyValues) {
    BenchLog.STDERR.event(event, keyValues);
  }
}
