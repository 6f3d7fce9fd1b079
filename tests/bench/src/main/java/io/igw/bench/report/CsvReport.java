package io.igw.bench.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code steps.csv} (one row per policy, step and class) and {@code requests.csv} (one row per
 * request).
 */
public final class CsvReport {
  static final String STEPS_HEADER =
      "policy,step,offered_qps,duration_s,class,sent,ok,shed,errors,"
          + "ttft_p50_s,ttft_p90_s,ttft_p99_s,tpot_p50_s,tpot_p90_s,tpot_p99_s,e2e_p50_s,e2e_p90_s,e2e_p99_s,"
          + "output_tok_per_s,cache_hit_rate,goodput_rps";
  static final String REQUESTS_HEADER =
      "policy,id,step,priority,status,server,ttft_s,tpot_s,e2e_s,prompt_tokens,"
          + "cached_tokens,output_tokens";

  private CsvReport() {}

  public static void write(BenchReport report, Path folder) throws IOException {
    try (Writer out =
        Files.newBufferedWriter(folder.resolve("steps.csv"), StandardCharsets.UTF_8)) {
      out.write(STEPS_HEADER + "\n");
      for (StepStats s : report.stats()) {
        out.write(stepRow(s) + "\n");
      }
    }
    try (Writer out =
        Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
      out.write(REQUESTS_HEADER + "\n");
      for (PolicyRun run : report.runs()) {
        for (RequestOutcome o : run.outcomes()) {
          out.write(
              String.join(
                      ",",
                      run.policy(),
                      Integer.toString(o.id()),
                      Integer.toString(o.step()),
                      Integer.toString(o.priority()),
                      Integer.toString(o.status()),
                      Integer.toString(o.server()),
                      num(o.ttft()),
                      num(o.tpot()),
                      num(o.e2e()),
                      Integer.toString(o.promptTokens()),
                      Integer.toString(o.cachedTokens()),
                      Integer.toString(o.outputTokens()))
                  + "\n");
        }
      }
    }
  }

  static String stepRow(StepStats s) {
    return String.join(
        ",",
        s.policy(),
        Integer.toString(s.step()),
        num(s.offeredQps()),
        num(s.durationSeconds()),
        s.requestClass(),
        Integer.toString(s.sent()),
        Integer.toString(s.ok()),
        Integer.toString(s.shed()),
        Integer.toString(s.errors()),
        num(s.ttft().p50()),
        num(s.ttft().p90()),
        num(s.ttft().p99()),
        num(s.tpot().p50()),
        num(s.tpot().p90()),
        num(s.tpot().p99()),
        num(s.e2e().p50()),
        num(s.e2e().p90()),
        num(s.e2e().p99()),
        num(s.outputTokensPerSecond()),
        num(s.cacheHitRate()),
        num(s.goodputRps()));
  }

  static String num(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
  }
}
