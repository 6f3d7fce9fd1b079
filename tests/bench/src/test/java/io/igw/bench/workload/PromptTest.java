package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTest {
  @Test
  void textHasFourCharactersPerTokenAndSharesItsPrefix() {
    Prompt a = Prompt.segment(7, 100).then(1, 20);
    Prompt b = Prompt.segment(7, 100).then(2, 20);
    assertThat(a.tokens()).isEqualTo(120);
    assertThat(a.text()).hasSize(480);
    assertThat(a.text().substring(0, 400)).isEqualTo(b.text().substring(0, 400));
    assertThat(a.text().substring(400)).isNotEqualTo(b.text().substring(400));
    assertThat(a.text()).isEqualTo(Prompt.segment(7, 100).then(1, 20).text());
  }

  @Test
  void differentSeedsDifferFromTheFirstBlock() {
    assertThat(Prompt.segment(1, 16).text()).isNotEqualTo(Prompt.segment(2, 16).text());
  }

  @Test
  void literalCountsFourCharactersATokenUnlessTold() {
    assertThat(Prompt.literal("abcdefghi", 0).tokens()).isEqualTo(3);
    assertThat(Prompt.literal("abc", 50).tokens()).isEqualTo(50);
  }
}
