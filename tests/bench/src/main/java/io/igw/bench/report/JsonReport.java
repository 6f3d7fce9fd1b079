package io.igw.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code summary.json}: the setup, the ladder and every per-step statistic (no per-request rows).
 */
public final class JsonReport {
  private JsonReport() {}

  public static void write(BenchReport report, Path folder) throws IOException {
    Files.writeString(
        folder.resolve("summary.json"),
        toJson(report).encodePrettily() + "\n",
        StandardCharsets.UTF_8);
  }

  public static JsonObject toJson(BenchReport report) {
    JsonArray ladder = new JsonArray();
    report
        .ladder()
        .steps()
        .forEach(
            s ->
                ladder.add(
                    new JsonObject()
                        .put("qps", s.qps())
                        .put("durationSeconds", s.durationSeconds())));
    JsonArray runs = new JsonArray();
    report
        .runs()
        .forEach(
            r ->
                runs.add(
                    new JsonObject()
                        .put("policy", r.policy())
                        .put("requests", r.outcomes().size())
                        .put("wallSeconds", r.wallSeconds())));
    JsonArray stats = new JsonArray();
    for (StepStats s : report.stats()) {
      stats.add(
          new JsonObject()
              .put("policy", s.policy())
              .put("step", s.step())
              .put("offeredQps", s.offeredQps())
              .put("durationSeconds", s.durationSeconds())
              .put("class", s.requestClass())
              .put("sent", s.sent())
              .put("ok", s.ok())
              .put("shed", s.shed())
              .put("errors", s.errors())
              .put("ttft", percentiles(s.ttft()))
              .put("tpot", percentiles(s.tpot()))
              .put("e2e", percentiles(s.e2e()))
              .put("outputTokensPerSecond", finite(s.outputTokensPerSecond()))
              .put("cacheHitRate", finite(s.cacheHitRate()))
              .put("goodputRps", finite(s.goodputRps())));
    }
    return new JsonObject()
        .put("mode", report.mode())
        .put("workload", report.workload())
        .put("command", report.command())
        .put("setup", new JsonArray(report.setup()))
        .put("ladder", ladder)
        .put("runs", runs)
        .put("steps", stats);
  }

  private static JsonObject percentiles(Percentiles p) {
    return new JsonObject()
        .put("p50", finite(p.p50()))
        .put("p90", finite(p.p90()))
        .put("p99", finite(p.p99()));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
