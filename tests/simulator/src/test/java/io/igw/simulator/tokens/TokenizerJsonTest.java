package io.igw.simulator.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's own tokenizer.json, through DJL's Rust tokenizers, offline. */
class TokenizerJsonTest {

  @Test
  void bpeMergesAndByteLevelSpacesGiveTheFilesIds(@TempDir Path dir) throws Exception {
    Tokenizer tokenizer = TokenizerJson.load(SmallTokenizerJson.write(dir));

    // "lower" → l o w e r → lo, low, er; " lowest" → Ġ l o w e s t → lo, low, Ġlow; e s t stay
    assertThat(tokenizer.encode("lower lowest"))
        .containsExactly(id("low"), id("er"), id("Ġlow"), id("e"), id("s"), id("t"));
    assertThat(tokenizer.decode(tokenizer.encode("lower lowest"))).isEqualTo("lower lowest");
  }

  @Test
  void addedTokensInTheTextAreSingleTokensAndTheChatTemplateUsesThem(@TempDir Path dir)
      throws Exception {
    PromptRenderer renderer =
        PromptRenderer.of(
            "o200k_base", ChatTemplate.CHATML, SmallTokenizerJson.write(dir).toString());

    int[] ids = renderer.chat(List.of(new ChatMessage("user", "low")), true);

    // <|im_start|> u s er Ċ low <|im_end|> Ċ <|im_start|> a s s i s t a n t Ċ
    assertThat(ids)
        .startsWith(
            SmallTokenizerJson.IM_START,
            id("u"),
            id("s"),
            id("er"),
            id("Ċ"),
            id("low"),
            SmallTokenizerJson.IM_END,
            id("Ċ"),
            SmallTokenizerJson.IM_START);
    assertThat(ids).endsWith(id("a"), id("n"), id("t"), id("Ċ"));
    assertThat(renderer.tokenizer().decode(ids))
        .isEqualTo("<|im_start|>user\nlow<|im_end|>\n<|im_start|>assistant\n");
    assertThat(renderer.completion("low", true)).as("ChatML has no BOS").containsExactly(id("low"));
  }

  @Test
  void aMissingFileIsRefusedWithItsPath(@TempDir Path dir) {
    assertThatThrownBy(() -> TokenizerJson.load(dir.resolve("nope.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.json");
  }

  private static int id(String token) {
    return SmallTokenizerJson.id(token);
  }
}
