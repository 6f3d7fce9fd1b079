package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatMixWorkloadTest {

  @Test
  void lengthsKeepShareGptsPublishedMeansWithinVllmsFilter() {
    RequestSequence sequence =
        ChatMixWorkload.shareGptLike("m").generate(LoadLadder.of(100, 100), 7);
    double prompt = 0;
    double output = 0;
    for (WorkloadRequest r : sequence.requests()) {
      int question = r.prompt().tokens() - 40;
      assertThat(question).isBetween(ChatMixWorkload.MIN_TOKENS, ChatMixWorkload.MAX_PROMPT_TOKENS);
      assertThat(question + r.outputTokens()).isLessThanOrEqualTo(ChatMixWorkload.MAX_TOTAL_TOKENS);
      assertThat(r.outputTokens()).isGreaterThanOrEqualTo(ChatMixWorkload.MIN_TOKENS);
      prompt += question;
      output += r.outputTokens();
    }
    int n = sequence.size();
    assertThat(n).isGreaterThan(9000);
    // clipping the long tail pulls the means a little below the published 161 / 338
    assertThat(prompt / n).isBetween(140.0, 165.0);
    assertThat(output / n).isBetween(300.0, 345.0);
    assertThat(sequence.requests().get(0).prompt().segmentSeed(0))
        .as("one system prompt for all")
        .isEqualTo(sequence.requests().get(n - 1).prompt().segmentSeed(0));
  }

  @Test
  void theLongQuestionPresetIsMostlyQuestion() {
    WorkloadRequest r =
        SharedPrefixWorkload.longQuestions("m").generate(LoadLadder.of(1, 20), 1).requests().get(0);
    assertThat(r.prompt().segmentTokens(0)).isEqualTo(1000);
    assertThat(r.prompt().segmentTokens(1)).isEqualTo(6200);
    assertThat(r.outputTokens()).isEqualTo(1000);
  }
}
