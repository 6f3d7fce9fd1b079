package io.igw.simulator.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encodings inside jtokkit's jar, with a chat template's markers as tokens of their own. */
class BundledEncodingTest {

  static final BundledEncoding O200K =
      new BundledEncoding("o200k_base", ChatTemplate.LLAMA3.specialTokens());

  @Test
  void ordinaryTextIsTheEncodingsBpe() {
    // o200k_base: "Say", " hello", " to", " the", " gateway"
    int[] ids = O200K.encode("Say hello to the gateway");
    assertThat(ids).hasSize(5);
    assertThat(O200K.decode(new int[] {ids[1]})).isEqualTo(" hello");
    assertThat(O200K.decode(ids)).isEqualTo("Say hello to the gateway");
  }

  @Test
  void markersAreOneTokenEachBeyondTheVocabularyAndRoundTrip() {
    String text = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>";
    int[] ids = O200K.encode(text);

    assertThat(ids[0]).isEqualTo(200_019);
    assertThat(ids[1]).isEqualTo(200_020);
    assertThat(Arrays.stream(ids).filter(id -> id >= 200_019).count()).isEqualTo(4);
    assertThat(O200K.decode(ids)).isEqualTo(text);
  }

  @Test
  void withoutMarkersTheSameStringIsPlainText() {
    BundledEncoding plain = new BundledEncoding("o200k_base", List.of());
    assertThat(plain.encode("<|eot_id|>").length).isGreaterThan(1);
    assertThat(O200K.encode("<|eot_id|>")).hasSize(1);
  }
}
