package io.igw.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code summary.md}: the command, the setup, a table per policy, and igw against the two NGINX
 * baselines per step (output throughput and p90 TTFT ratios), ending with the goal at the
 * top of the ladder.
 */
public final class MarkdownSummary {
  public static final String IGW = "igw";
  public static final String REFERENCE = "reference";
  public static final String ROUND_ROBIN = "round-robin";
  static final String[] LEAST_CONN_NAMES = {"least-conn", "least-requests"};
  static final double GOAL_THROUGHPUT = 2.0;
  static final double GOAL_TTFT = 10.0;

  private MarkdownSummary() {}

  public static void write(BenchReport report, Path folder) throws IOException {
    Files.writeString(folder.resolve("summary.md"), render(report), StandardCharsets.UTF_8);
  }

  public static String render(BenchReport report) {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(report.workload()).append(" (").append(report.mode()).append(")\n\n");
    md.append("Command: `").append(report.command()).append("`\n\n");
    report.setup().forEach(line -> md.append("- ").append(line).append('\n'));
    md.append('\n');
    ratios(report, md, IGW);
    ratios(report, md, REFERENCE);
    md.append("Per policy, all requests (latencies in seconds, TPOT in ms):\n\n");
    md.append(
        "| policy | QPS | sent | ok | shed | err | TTFT p50 | TTFT p90 | TTFT p99 | TPOT p50 | TPOT p90 | "
            + "TPOT p99 | e2e p50 | e2e p90 | e2e p99 | out tok/s | cache hit | goodput req/s |\n");
    md.append(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String policy : report.policies()) {
      for (int step = 0; step < report.ladder().size(); step++) {
        StepStats s = report.stat(policy, step, RequestClass.ALL);
        md.append("| ")
            .append(policy)
            .append(" | ")
            .append(num(s.offeredQps()))
            .append(" | ")
            .append(s.sent())
            .append(" | ")
            .append(s.ok())
            .append(" | ")
            .append(s.shed())
            .append(" | ")
            .append(s.errors())
            .append(" | ")
            .append(sec(s.ttft().p50()))
            .append(" | ")
            .append(sec(s.ttft().p90()))
            .append(" | ")
            .append(sec(s.ttft().p99()))
            .append(" | ")
            .append(ms(s.tpot().p50()))
            .append(" | ")
            .append(ms(s.tpot().p90()))
            .append(" | ")
            .append(ms(s.tpot().p99()))
            .append(" | ")
            .append(sec(s.e2e().p50()))
            .append(" | ")
            .append(sec(s.e2e().p90()))
            .append(" | ")
            .append(sec(s.e2e().p99()))
            .append(" | ")
            .append(num(s.outputTokensPerSecond()))
            .append(" | ")
            .append(pct(s.cacheHitRate()))
            .append(" | ")
            .append(num(s.goodputRps()))
            .append(" |\n");
      }
    }
    md.append('\n');
    if (report.hasClasses()) {
      classes(report, md);
    }
    return md.toString();
  }

  /**
   * {@code policy} against round-robin and least-conn per step, then the goal at the top of the
   * ladder.
   */
  private static void ratios(BenchReport report, StringBuilder md, String policy) {
    String leastConn = leastConnName(report);
    if (!report.policies().contains(policy)
        || !report.policies().contains(ROUND_ROBIN)
        || leastConn == null) {
      return;
    }
    String p = policy;
    md.append(p)
        .append(" against the NGINX baselines (ratios ")
        .append(p)
        .append(" / baseline: > 1 is better for " + "throughput, < 1 is better for TTFT):\n\n");
    md.append("| QPS | ")
        .append(p)
        .append(" tok/s | rr tok/s | ")
        .append(leastConn)
        .append(" tok/s | tok/s ")
        .append(p)
        .append("/rr | tok/s ")
        .append(p)
        .append("/lc | ")
        .append(p)
        .append(" TTFT p90 | rr TTFT p90 | " + "lc TTFT p90 | TTFT p90 ")
        .append(p)
        .append("/rr | TTFT p90 ")
        .append(p)
        .append("/lc |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int step = 0; step < report.ladder().size(); step++) {
      StepStats igw = report.stat(policy, step, RequestClass.ALL);
      StepStats rr = report.stat(ROUND_ROBIN, step, RequestClass.ALL);
      StepStats lc = report.stat(leastConn, step, RequestClass.ALL);
      md.append("| ")
          .append(num(igw.offeredQps()))
          .append(" | ")
          .append(num(igw.outputTokensPerSecond()))
          .append(" | ")
          .append(num(rr.outputTokensPerSecond()))
          .append(" | ")
          .append(num(lc.outputTokensPerSecond()))
          .append(" | ")
          .append(ratio(igw.outputTokensPerSecond(), rr.outputTokensPerSecond()))
          .append(" | ")
          .append(ratio(igw.outputTokensPerSecond(), lc.outputTokensPerSecond()))
          .append(" | ")
          .append(sec(igw.ttft().p90()))
          .append(" | ")
          .append(sec(rr.ttft().p90()))
          .append(" | ")
          .append(sec(lc.ttft().p90()))
          .append(" | ")
          .append(ratio(igw.ttft().p90(), rr.ttft().p90()))
          .append(" | ")
          .append(ratio(igw.ttft().p90(), lc.ttft().p90()))
          .append(" |\n");
    }
    int top = report.ladder().size() - 1;
    StepStats igw = report.stat(policy, top, RequestClass.ALL);
    StepStats rr = report.stat(ROUND_ROBIN, top, RequestClass.ALL);
    double throughput = igw.outputTokensPerSecond() / rr.outputTokensPerSecond();
    double ttftLower = rr.ttft().p90() / igw.ttft().p90();
    md.append("\nTop of the ladder (")
        .append(num(igw.offeredQps()))
        .append(" QPS): ")
        .append(p)
        .append(" delivers ")
        .append(String.format(Locale.ROOT, "%.2f", throughput))
        .append("× round-robin's output throughput (goal ≥ ")
        .append(num(GOAL_THROUGHPUT))
        .append("×: ")
        .append(throughput >= GOAL_THROUGHPUT ? "met" : "not met")
        .append(") and a p90 TTFT ")
        .append(String.format(Locale.ROOT, "%.1f", ttftLower))
        .append("× lower (goal ≥ ")
        .append(num(GOAL_TTFT))
        .append("×: ")
        .append(ttftLower >= GOAL_TTFT ? "met" : "not met")
        .append(").\n\n");
  }

  private static void classes(BenchReport report, StringBuilder md) {
    md.append("By priority class (critical: priority ≥ 0; sheddable: < 0):\n\n");
    md.append(
        "| policy | QPS | critical ok | critical TTFT p90 | critical e2e p90 | sheddable sent | sheddable shed "
            + "| sheddable ok | sheddable TTFT p90 |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String policy : report.policies()) {
      for (int step = 0; step < report.ladder().size(); step++) {
        StepStats c = report.stat(policy, step, RequestClass.CRITICAL);
        StepStats s = report.stat(policy, step, RequestClass.SHEDDABLE);
        md.append("| ")
            .append(policy)
            .append(" | ")
            .append(num(c.offeredQps()))
            .append(" | ")
            .append(c.ok())
            .append(" | ")
            .append(sec(c.ttft().p90()))
            .append(" | ")
            .append(sec(c.e2e().p90()))
            .append(" | ")
            .append(s.sent())
            .append(" | ")
            .append(s.shed())
            .append(" | ")
            .append(s.ok())
            .append(" | ")
            .append(sec(s.ttft().p90()))
            .append(" |\n");
      }
    }
    md.append('\n');
  }

  static String leastConnName(BenchReport report) {
    for (String name : LEAST_CONN_NAMES) {
      if (report.policies().contains(name)) {
        return name;
      }
    }
    return null;
  }

  static String ratio(double a, double b) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || b == 0) {
      return "–";
    }
    double r = a / b;
    return String.format(Locale.ROOT, r < 0.1 ? "%.2g" : "%.2f", r);
  }

  static String sec(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "–";
    }
    return seconds >= 10
        ? String.format(Locale.ROOT, "%.1f", seconds)
        : String.format(Locale.ROOT, "%.3f", seconds);
  }

  static String ms(double seconds) {
    return Double.isFinite(seconds) ? String.format(Locale.ROOT, "%.1f", seconds * 1000) : "–";
  }

  static String pct(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", fraction * 100) : "–";
  }

  static String num(double value) {
    if (!Double.isFinite(value)) {
      return "–";
    }
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
