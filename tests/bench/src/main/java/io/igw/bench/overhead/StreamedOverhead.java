package io.igw.bench.overhead;

import io.igw.bench.live.LiveCluster;
import io.igw.bench.log.BenchLog;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The "streamed, 500 tokens" section of {@code overhead}: what token accounting costs on streams.
 * Closed loop against the static backend's streamed completion (500 content chunks, each its own
 * write) through three paths: direct proxy_pass, igw without accounting ({@code --no-token-usage})
 * and igw with it (the njs usage filter reads every stream; for a client that did not ask for
 * usage, the picker adds {@code stream_options.include_usage} upstream and NGINX drops that chunk).
 * Both igw gateways send the completion feed to the same picker, so accounting is all they differ
 * in. A fourth path splits the cost: igw with accounting for a client that asks for usage itself
 * (the filter reads the stream, nothing is rewritten or dropped). The paths take turns, {@code
 * rounds} times, so a change in the machine's load falls on all.
 *
 * <p>Before it measures it checks that it measures that: the stream reaches the client through igw
 * with accounting byte for byte as through igw without, with its 500 content chunks and no usage
 * chunk, and the picker counted the 500 completion tokens the usage chunk reported.
 */
final class StreamedOverhead {
  /** The static backend's content chunks (static-stream.js). */
  static final int TOKENS = 500;

  /** The request header that routes to the static backend's streamed completion. */
  static final Map<String, String> STREAM_HEADER = Map.of("x-bench-stream", "1");

  /** Within this the picker has the completion feed's line of a finished request. */
  private static final long FEED_WAIT_MILLIS = 5000;

  /** What the section measured: its markdown, its CSV (with header) and the ratio of the goal. */
  record Section(String markdown, String csv, double accountedOverUnaccounted) {}

  // the lanes, in this order
  private static final int DIRECT = 0;
  private static final int UNACCOUNTED = 1;
  private static final int ACCOUNTED = 2;
  private static final int ASKING = 3;

  /**
   * One path: what the client sends to, the probe, whether the picker serves it, and the usage
   * chunks its client gets.
   */
  private record Lane(
      String label,
      LiveCluster.Gateway gateway,
      HttpProbe probe,
      boolean picked,
      int usageChunks) {}

  /** A lane's rounds together. workerTicks / pickerTicks: -1 when /proc could not tell. */
  private static final class Totals {
    final List<HttpProbe.Result> results = new ArrayList<>();
    long workerTicks;
    long pickerTicks;
  }

  private final LiveCluster cluster;
  private final String model;
  private final int connections;
  private final double seconds;
  private final int rounds;
  private final BenchLog log;
  private final ProcessCpuTime cpu = new ProcessCpuTime();
  private final HttpClient http = HttpClient.newHttpClient();

  StreamedOverhead(
      LiveCluster cluster,
      String model,
      int connections,
      double seconds,
      int rounds,
      BenchLog log) {
    this.cluster = cluster;
    this.model = model;
    this.connections = connections;
    this.seconds = seconds;
    this.rounds = rounds;
    this.log = log;
  }

  /** A streamed completion of {@link #TOKENS} tokens; {@code streamOptions}: JSON or null. */
  static String body(String model, String streamOptions) {
    return "{\"model\":\""
        + model
        + "\",\"prompt\":\"Say hello\",\"max_tokens\":"
        + TOKENS
        + ",\"stream\":true,\"ignore_eos\":true"
        + (streamOptions == null ? "" : ",\"stream_options\":" + streamOptions)
        + "}";
  }

  Section run() throws IOException, InterruptedException {
    String body = body(model, null);
    String asking = body(model, "{\"include_usage\":true}");
    try (HttpProbe direct = new HttpProbe(cluster.direct().uri(), body, STREAM_HEADER);
        HttpProbe unaccounted = new HttpProbe(cluster.unaccounted().uri(), body, STREAM_HEADER);
        HttpProbe accounted = new HttpProbe(cluster.accounted().uri(), body, STREAM_HEADER);
        HttpProbe asks = new HttpProbe(cluster.accounted().uri(), asking, STREAM_HEADER)) {
      List<Lane> lanes =
          List.of(
              new Lane("direct", cluster.direct(), direct, false, 0),
              new Lane("igw without accounting", cluster.unaccounted(), unaccounted, true, 0),
              new Lane("igw with accounting", cluster.accounted(), accounted, true, 0),
              new Lane(
                  "igw with accounting, client asks for usage",
                  cluster.accounted(),
                  asks,
                  true,
                  1));
      check(lanes);
      for (Lane lane : lanes) {
        lane.probe().closedLoop(connections, Math.min(3, seconds));
      }
      TokenMetrics before = TokenMetrics.scrape(http, cluster.pickerUri());
      List<Totals> totals = measure(lanes);
      long accountedOk =
          HttpProbe.Result.combine(totals.get(ACCOUNTED).results).ok()
              + HttpProbe.Result.combine(totals.get(ASKING).results).ok();
      double counted = awaitReported(before, accountedOk * TOKENS) - before.reported();
      if (counted <= 0) {
        throw new IllegalStateException(
            "streamed overhead: the picker's igw_tokens_total{kind=\"completion\"} did not grow"
                + " during the accounted runs ("
                + accountedOk
                + " streams): the accounting did not run, so the run measured nothing");
      }
      return section(lanes, totals, counted / accountedOk);
    }
  }

  private List<Totals> measure(List<Lane> lanes) throws InterruptedException {
    List<Totals> totals = new ArrayList<>();
    lanes.forEach(l -> totals.add(new Totals()));
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < lanes.size(); k++) {
        int index = (round + k) % lanes.size();
        Lane lane = lanes.get(index);
        Totals t = totals.get(index);
        OptionalLong worker = cpu.nginxWorkerTicks(lane.gateway().prefix());
        OptionalLong picker = cpu.ticks(cluster.pickerPid());
        HttpProbe.Result r = lane.probe().closedLoop(connections, seconds);
        t.results.add(r);
        t.workerTicks = add(t.workerTicks, worker, cpu.nginxWorkerTicks(lane.gateway().prefix()));
        t.pickerTicks = add(t.pickerTicks, picker, cpu.ticks(cluster.pickerPid()));
        log.event(
            "overhead_streamed_round",
            "round",
            round,
            "path",
            lane.label(),
            "rps",
            OverheadCommand.fmt(r.requestsPerSecond()),
            "failed",
            r.failed());
      }
    }
    return totals;
  }

  private static long add(long sum, OptionalLong before, OptionalLong after) {
    if (sum < 0 || before.isEmpty() || after.isEmpty()) {
      return -1;
    }
    return sum + after.getAsLong() - before.getAsLong();
  }

  /**
   * Fails the bench unless every path delivers the backend's stream whole and accounting runs
   * unseen.
   */
  private void check(List<Lane> lanes) throws IOException, InterruptedException {
    String sent = expectStream(lanes.get(DIRECT));
    try (HttpProbe asking =
        new HttpProbe(
            cluster.direct().uri(), body(model, "{\"include_usage\":true}"), STREAM_HEADER)) {
      if (SseAnswer.parse(asking.once().body()).usageChunks() != 1) {
        throw new IllegalStateException(
            "streamed overhead: the static backend sent no usage chunk to a stream with"
                + " stream_options.include_usage true");
      }
    }
    String plain = expectStream(lanes.get(UNACCOUNTED));
    sameBytes(lanes.get(UNACCOUNTED).label(), plain, "direct", sent);
    expectStream(lanes.get(ASKING));
    TokenMetrics before = TokenMetrics.scrape(http, cluster.pickerUri());
    String counted = expectStream(lanes.get(ACCOUNTED));
    sameBytes(lanes.get(ACCOUNTED).label(), counted, lanes.get(UNACCOUNTED).label(), plain);
    double reported = awaitReported(before, TOKENS) - before.reported();
    if (reported != TOKENS) {
      TokenMetrics now = TokenMetrics.scrape(http, cluster.pickerUri());
      throw new IllegalStateException(
          "streamed overhead: after one stream through igw with accounting the picker counted "
              + reported
              + " completion tokens from usage (estimated: "
              + (now.estimatedCompletion() - before.estimatedCompletion())
              + "), not "
              + TOKENS
              + ": the usage chunk was not asked for or not read");
    }
  }

  /**
   * The body of one answer on {@code lane} when it is a whole stream of {@link #TOKENS} chunks with
   * the lane's usage chunks.
   */
  private static String expectStream(Lane lane) throws IOException, InterruptedException {
    HttpResponse<String> answer = lane.probe().once();
    SseAnswer sse = SseAnswer.parse(answer.body());
    String type = answer.headers().firstValue("content-type").orElse("");
    if (answer.statusCode() != 200
        || !type.startsWith("text/event-stream")
        || sse.contentChunks() != TOKENS
        || sse.usageChunks() != lane.usageChunks()
        || !sse.done()
        || sse.malformed() != 0) {
      throw new IllegalStateException(
          "streamed overhead: through "
              + lane.label()
              + " the stream is not the backend's "
              + TOKENS
              + " chunks with "
              + lane.usageChunks()
              + " usage chunk(s): status "
              + answer.statusCode()
              + ", content-type "
              + type
              + ", "
              + sse);
    }
    return answer.body();
  }

  private static void sameBytes(String path, String body, String otherPath, String other) {
    if (body.equals(other)) {
      return;
    }
    int at = 0;
    while (at < Math.min(body.length(), other.length()) && body.charAt(at) == other.charAt(at)) {
      at++;
    }
    throw new IllegalStateException(
        "streamed overhead: the stream through "
            + path
            + " differs from the one through "
            + otherPath
            + " at byte "
            + at
            + " ("
            + body.length()
            + " and "
            + other.length()
            + " bytes)");
  }

  /**
   * The reported completion tokens once they reach {@code before} + {@code tokens}, or what they
   * are after {@link #FEED_WAIT_MILLIS} (the feed is UDP: a line may be late or lost).
   */
  private double awaitReported(TokenMetrics before, double tokens)
      throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + FEED_WAIT_MILLIS;
    double reported = TokenMetrics.scrape(http, cluster.pickerUri()).reported();
    while (reported < before.reported() + tokens && System.currentTimeMillis() < end) {
      Thread.sleep(100);
      reported = TokenMetrics.scrape(http, cluster.pickerUri()).reported();
    }
    return reported;
  }

  private Section section(List<Lane> lanes, List<Totals> totals, double tokensPerStream) {
    StringBuilder md =
        new StringBuilder("\n### streamed, ")
            .append(TOKENS)
            .append(" tokens (closed loop, ")
            .append(connections)
            .append(" connections, ")
            .append(rounds)
            .append(" rounds of ")
            .append(OverheadCommand.fmt(seconds))
            .append(" s per path, taking turns)\n\n")
            .append("The backend streams ")
            .append(TOKENS)
            .append(
                " content chunks (each its own write), a finish chunk and [DONE]; the client does not ask")
            .append(
                " for usage. Both igw gateways feed the same picker; with accounting, the picker adds")
            .append(
                " stream_options.include_usage upstream and the njs usage filter reads and drops that")
            .append(
                " chunk; the last row's client asks for usage itself (its stream keeps the chunk;")
            .append(
                " nothing is rewritten or dropped). CPU: the path's NGINX worker and the picker (utime +")
            .append(
                " stime) per request; the picker's includes its background work (scrapes, GC).\n\n")
            .append(
                "| path | req/s | p50 ms | p99 ms | NGINX worker CPU µs/request | picker CPU µs/request |")
            .append(" failed |\n|---|---:|---:|---:|---:|---:|---:|\n");
    StringBuilder csv =
        new StringBuilder(
            "path,rps,p50_ms,p99_ms,worker_cpu_us_per_request,picker_cpu_us_per_request,ok,failed,"
                + "rps_over_unaccounted\n");
    List<HttpProbe.Result> combined = new ArrayList<>();
    totals.forEach(t -> combined.add(HttpProbe.Result.combine(t.results)));
    double unaccountedRps = combined.get(UNACCOUNTED).requestsPerSecond();
    double[] workerMicros = new double[lanes.size()];
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      HttpProbe.Result r = combined.get(i);
      Totals t = totals.get(i);
      workerMicros[i] = perRequest(t.workerTicks, r.ok());
      String worker = micros(workerMicros[i]);
      String picker = lane.picked() ? micros(perRequest(t.pickerTicks, r.ok())) : "";
      md.append("| ")
          .append(lane.label())
          .append(" | ")
          .append(OverheadCommand.fmt(r.requestsPerSecond()))
          .append(" | ")
          .append(OverheadCommand.fmt(r.p50Millis()))
          .append(" | ")
          .append(OverheadCommand.fmt(r.p99Millis()))
          .append(" | ")
          .append(worker)
          .append(" | ")
          .append(picker)
          .append(" | ")
          .append(r.failed())
          .append(" |\n");
      csv.append(
          String.join(
              ",",
              "\"" + lane.label() + "\"",
              OverheadCommand.fmt(r.requestsPerSecond()),
              OverheadCommand.fmt(r.p50Millis()),
              OverheadCommand.fmt(r.p99Millis()),
              worker,
              picker,
              Long.toString(r.ok()),
              Long.toString(r.failed()),
              ratio(r.requestsPerSecond() / unaccountedRps) + "\n"));
    }
    double goal = combined.get(ACCOUNTED).requestsPerSecond() / unaccountedRps;
    md.append("\nwith/without accounting: **")
        .append(ratio(goal))
        .append("× the req/s** (goal ≥ 0.90)");
    if (workerMicros[UNACCOUNTED] > 0 && workerMicros[ACCOUNTED] > 0) {
      md.append(", ")
          .append(ratio(workerMicros[ACCOUNTED] / workerMicros[UNACCOUNTED]))
          .append("× the worker CPU");
    }
    md.append("; the picker counted ")
        .append(OverheadCommand.fmt(tokensPerStream))
        .append(" completion tokens per accounted stream (")
        .append(TOKENS)
        .append(" sent; the feed is UDP)\n");
    log.event(
        "overhead_streamed",
        "direct_rps",
        OverheadCommand.fmt(combined.get(DIRECT).requestsPerSecond()),
        "unaccounted_rps",
        OverheadCommand.fmt(unaccountedRps),
        "accounted_rps",
        OverheadCommand.fmt(combined.get(ACCOUNTED).requestsPerSecond()),
        "accounted_over_unaccounted",
        ratio(goal),
        "unaccounted_worker_us",
        micros(workerMicros[UNACCOUNTED]),
        "accounted_worker_us",
        micros(workerMicros[ACCOUNTED]),
        "asking_worker_us",
        micros(workerMicros[ASKING]));
    return new Section(md.toString(), csv.toString(), goal);
  }

  private double perRequest(long ticks, long requests) {
    return ticks < 0 || requests == 0 ? -1 : cpu.micros(ticks) / requests;
  }

  private static String micros(double value) {
    return value < 0 ? "" : OverheadCommand.fmt(value);
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
