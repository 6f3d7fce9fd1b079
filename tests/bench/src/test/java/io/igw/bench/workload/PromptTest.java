package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.tokens.Tokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PromptTest {
  static final PromptText LLAMA = PromptText.forProfile(EngineProfile.LLAMA_8B_H100);

  enum Profile {
    LLAMA_8B(EngineProfile.LLAMA_8B_H100),
    QWEN3_32B(EngineProfile.QWEN3_32B_H100_TP2);

    final EngineProfile profile;

    Profile(EngineProfile profile) {
      this.profile = profile;
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void segmentsHaveExactlyTheirTokensAndTokenizingTheWholeTextGivesTheSameIds(Profile which) {
    PromptText words = PromptText.forProfile(which.profile);
    Tokenizer tokenizer = words.renderer().tokenizer();
    for (int seed = 0; seed < 20; seed++) {
      Prompt prompt = Prompt.segment(seed, 6000).then(seed + 100, 1200).then(seed + 200, 7);
      PromptText.Rendered rendered = words.render(prompt);
      int[] bos = words.renderer().beginOfText();
      assertThat(rendered.tokenIds()).hasSize(bos.length + 7207);
      assertThat(rendered.tokenIds()).isEqualTo(words.renderer().completion(rendered.text(), true));
      assertThat(tokenizer.encode(words.text(Prompt.segment(seed + 100, 1200)))).hasSize(1200);
    }
  }

  @Test
  void promptsSharingTheirFirstSegmentShareItsTextAndTokens() {
    Prompt a = Prompt.segment(7, 100).then(1, 20);
    Prompt b = Prompt.segment(7, 100).then(2, 20);
    String shared = LLAMA.text(Prompt.segment(7, 100));
    assertThat(a.tokens()).isEqualTo(120);
    assertThat(LLAMA.text(a)).startsWith(shared).isNotEqualTo(LLAMA.text(b));
    assertThat(LLAMA.text(b)).startsWith(shared);
    int[] idsA = LLAMA.render(a).tokenIds();
    int[] idsB = LLAMA.render(b).tokenIds();
    assertThat(Arrays.copyOf(idsA, 101)).isEqualTo(Arrays.copyOf(idsB, 101));
    assertThat(Arrays.copyOfRange(idsA, 101, 121)).isNotEqualTo(Arrays.copyOfRange(idsB, 101, 121));
    assertThat(LLAMA.text(a)).isEqualTo(LLAMA.text(Prompt.segment(7, 100).then(1, 20)));
  }

  @Test
  void theTextReadsAtAboutFourAndAHalfCharactersAToken() {
    String text = LLAMA.text(Prompt.segment(3, 20_000));
    // the picker's approximate index assumes 4; real English in o200k_base is a little over that
    assertThat(text.length() / 20_000.0).isBetween(4.0, 5.5);
    assertThat(text).startsWith(" ").matches("[ a-z,.]+");
  }

  @Test
  void differentSeedsDifferFromTheFirstBlock() {
    int[] one = LLAMA.render(Prompt.segment(1, 16)).tokenIds();
    int[] two = LLAMA.render(Prompt.segment(2, 16)).tokenIds();
    assertThat(Arrays.copyOfRange(one, 1, 17)).isNotEqualTo(Arrays.copyOfRange(two, 1, 17));
  }

  @Test
  void aLiteralIsTokenizedAsTheServerWould() {
    Prompt literal =
        Prompt.literal(
            "Summarise: the gateway routes requests.",
            LLAMA.count("Summarise: the gateway routes requests."));
    PromptText.Rendered rendered = LLAMA.render(literal);
    assertThat(rendered.text()).isEqualTo("Summarise: the gateway routes requests.");
    assertThat(rendered.tokenIds()).hasSize(1 + literal.tokens());
  }
}
