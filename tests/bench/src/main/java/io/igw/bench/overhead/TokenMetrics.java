package io.igw.bench.overhead;

import io.igw.bench.report.MetricsText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The picker's completion-token counters on /metrics, summed over their labels: {@code
 * igw_tokens_total{kind="completion"}} and its estimated part {@code
 * igw_tokens_estimated_total{kind="completion"}} (streams whose usage chunk NGINX did not read).
 */
record TokenMetrics(double completion, double estimatedCompletion) {
  /** Completion tokens the data plane read from usage, not estimated. */
  double reported() {
    return completion - estimatedCompletion;
  }

  static TokenMetrics scrape(HttpClient http, URI picker) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(picker.resolve("/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("picker /metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  static TokenMetrics parse(String metrics) {
    return new TokenMetrics(
        sum(metrics, "igw_tokens_total"), sum(metrics, "igw_tokens_estimated_total"));
  }

  private static double sum(String metrics, String name) {
    return MetricsText.sum(metrics, name, "kind=\"completion\"");
  }
}
