package io.igw.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenMetricsTest {
  @Test
  void sumsCompletionTokensOverLabelsAndSubtractsTheEstimatedOnes() {
    String metrics =
        """
        # HELP igw_tokens_total Tokens of the answers
        # TYPE igw_tokens_total counter
        igw_tokens_total{kind="completion",model_name="m",objective="",pool="p",target_model_name="m",tenant="a"} 1000.0
        igw_tokens_total{kind="completion",model_name="m",objective="",pool="p",target_model_name="m",tenant="b"} 500.0
        igw_tokens_total{kind="prompt",model_name="m",objective="",pool="p",target_model_name="m",tenant="a"} 6.0
        igw_tokens_estimated_total{kind="completion",pool="p"} 200.0
        igw_tokens_estimated_total{kind="prompt",pool="p"} 3.0
        """;
    TokenMetrics t = TokenMetrics.parse(metrics);
    assertThat(t.completion()).isEqualTo(1500.0);
    assertThat(t.estimatedCompletion()).isEqualTo(200.0);
    assertThat(t.reported()).isEqualTo(1300.0);
  }

  @Test
  void noCountersYetIsZero() {
    assertThat(TokenMetrics.parse("# no tokens yet\n")).isEqualTo(new TokenMetrics(0, 0));
  }
}
