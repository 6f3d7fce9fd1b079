package io.igw.bench.faults;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One case's row: requests sent, requests that did not end in a whole 200 answer ("failed",
 * whatever the goal allows), the goal, whether it was met, and the numbers measured (latency
 * percentiles in wall ms, outcomes by status or transport error, the case's own measurements).
 */
record CaseResult(
    String name,
    String goal,
    int requests,
    int failed,
    boolean met,
    Map<String, Object> measured,
    List<Exchange> exchanges) {

  static CaseResult of(
      String name, String goal, List<Exchange> exchanges, boolean met, Map<String, Object> own) {
    Map<String, Object> measured = new LinkedHashMap<>(latencies(exchanges));
    measured.put("outcomes", outcomes(exchanges));
    // sent twice because NGINX closed the idle keep-alive connection under them (see Exchange): a
    // client's resend
    measured.put(
        "resent_on_stale_connection",
        exchanges.stream().filter(Exchange::resentOnStaleConnection).count());
    measured.putAll(own);
    int failed = (int) exchanges.stream().filter(e -> !e.ok()).count();
    return new CaseResult(
        name, goal, exchanges.size(), failed, met && !exchanges.isEmpty(), measured, exchanges);
  }

  /** A case that could not run (its setup failed): not met, the reason measured. */
  static CaseResult broken(String name, String goal, Exception e) {
    return new CaseResult(name, goal, 0, 0, false, Map.of("error", String.valueOf(e)), List.of());
  }

  static Map<String, Object> latencies(List<Exchange> exchanges) {
    double[] ms = exchanges.stream().mapToDouble(Exchange::latencyMs).sorted().toArray();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p50_ms", round(percentile(ms, 0.50)));
    out.put("p99_ms", round(percentile(ms, 0.99)));
    out.put("max_ms", round(ms.length == 0 ? Double.NaN : ms[ms.length - 1]));
    return out;
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static double p99(List<Exchange> exchanges) {
    return percentile(exchanges.stream().mapToDouble(Exchange::latencyMs).sorted().toArray(), 0.99);
  }

  static Map<String, Long> outcomes(List<Exchange> exchanges) {
    Map<String, Long> counts = new TreeMap<>();
    exchanges.forEach(e -> counts.merge(e.outcome(), 1L, Long::sum));
    return counts;
  }

  static double round(double v) {
    return Double.isNaN(v) ? -1 : Math.round(v * 10) / 10.0;
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("case", name)
            .put("requests", requests)
            .put("failed", failed)
            .put("goal", goal)
            .put("met", met);
    measured.forEach(json::put);
    return json;
  }

  /**
   * Every request of the case: sent (ms after the first), latency, outcome, server; for a look at
   * the timeline.
   */
  String csv() {
    StringBuilder out = new StringBuilder("sent_ms,latency_ms,outcome,served_by,error\n");
    long first = exchanges.isEmpty() ? 0 : exchanges.get(0).sentNanos;
    for (Exchange e : exchanges) {
      out.append(Math.round((e.sentNanos - first) / 1e6))
          .append(',')
          .append(round(e.latencyMs()))
          .append(',')
          .append(e.outcome())
          .append(',')
          .append(e.servedBy() == null ? "" : e.servedBy())
          .append(',')
          .append(e.errorMessage() == null ? "" : e.errorMessage().replaceAll("[,\\n]", " "))
          .append('\n');
    }
    return out.toString();
  }

  /** The measured numbers in one cell: key=value, maps as {k: v}. */
  String measuredText() {
    StringBuilder out = new StringBuilder();
    measured.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? "" : " ")
                .append(k)
                .append('=')
                .append(
                    v instanceof double[] d
                        ? Arrays.toString(d)
                        : String.valueOf(v).replace(" ", "")));
    return out.toString();
  }
}
