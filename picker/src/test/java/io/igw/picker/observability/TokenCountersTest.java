package io.igw.picker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.lifecycle.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCountersTest {
  final PickerMetrics metrics = new PickerMetrics(new Datastore(), e -> true);

  static InFlightTracker.InFlight request(String tenant, String objective) {
    return new InFlightTracker.InFlight(
        (EndpointState) null,
        0,
        "default/p",
        "client-model",
        "client-model",
        40,
        objective,
        tenant);
  }

  static Completion completion(TokenUsage usage) {
    return new Completion("r", List.of("127.0.10.1:8000"), 200, 0.1, 0.01, usage);
  }

  @Test
  void promptCachedAndCompletionTokensByLabels() {
    TokenCounters counters = new TokenCounters(metrics, 10);
    counters.onCompletion(completion(new TokenUsage(12, 8, 3, false)), request("blue", "chat"));
    counters.onCompletion(completion(new TokenUsage(10, 0, 5, false)), request("blue", "chat"));
    String scrape = metrics.scrape();
    // a model no pool serves is "other": clients cannot add labels
    String labels =
        "model_name=\"other\",objective=\"chat\",pool=\"default/p\",target_model_name=\"other\","
            + "tenant=\"blue\"";
    assertThat(scrape)
        .contains("igw_tokens_total{kind=\"prompt\"," + labels + "} 22.0")
        .contains("igw_tokens_total{kind=\"cached_prompt\"," + labels + "} 8.0")
        .contains("igw_tokens_total{kind=\"completion\"," + labels + "} 8.0")
        .doesNotContain("igw_tokens_estimated_total{");
  }

  @Test
  void estimatedTokensAreCountedAndMarked() {
    TokenCounters counters = new TokenCounters(metrics, 10);
    counters.onCompletion(completion(new TokenUsage(40, 0, 7, true)), request("blue", null));
    assertThat(metrics.scrape())
        .contains("igw_tokens_estimated_total{kind=\"completion\",pool=\"default/p\"} 7.0")
        .contains("igw_tokens_estimated_total{kind=\"prompt\",pool=\"default/p\"} 40.0")
        .contains("objective=\"\"");
  }

  @Test
  void noUsageOrNoPickCountsNothing() {
    TokenCounters counters = new TokenCounters(metrics, 10);
    counters.onCompletion(completion(null), request("blue", null));
    counters.onCompletion(completion(new TokenUsage(1, 0, 1, false)), null);
    assertThat(metrics.scrape()).doesNotContain("igw_tokens");
  }

  @Test
  void tenantsPastTheCapShareOneLabel() {
    TokenCounters counters = new TokenCounters(metrics, 3);
    for (int i = 0; i < 500; i++) {
      counters.onCompletion(completion(new TokenUsage(1, 0, 1, false)), request("t" + i, null));
    }
    String scrape = metrics.scrape();
    long series =
        scrape.lines().filter(l -> l.startsWith("igw_tokens_total{kind=\"prompt\"")).count();
    assertThat(series).isEqualTo(4);
    assertThat(scrape)
        .contains("tenant=\"t0\"")
        .contains("tenant=\"t2\"")
        .doesNotContain("tenant=\"t3\"");
    assertThat(scrape)
        .contains(
            "kind=\"prompt\",model_name=\"other\",objective=\"\",pool=\"default/p\","
                + "target_model_name=\"other\",tenant=\"other\"} 497.0");
  }
}
