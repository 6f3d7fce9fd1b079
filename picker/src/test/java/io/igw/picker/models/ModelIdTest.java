package io.igw.picker.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelIdTest {
  @ParameterizedTest
  @CsvSource({
    "food-review-1, food-review-1",
    "meta-llama/Llama-3.1-8B-Instruct, meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama%2FLlama-3.1-8B-Instruct, meta-llama/Llama-3.1-8B-Instruct",
    "a%20b, a b",
    "caf%C3%A9, café",
    "%2e%2E, ..",
  })
  void decodesPercentEncodedIds(String raw, String id) {
    assertThat(ModelId.decode(raw, 1024)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // /v1/models/ itself
        "%",
        "%4",
        "%G1",
        "a%",
        "%zz", // broken escapes
        "%C3",
        "%FF%FE",
        "%C0%AF", // not UTF-8 (overlong /)
        "a b",
        "tab\there",
        "caf\u00e9",
        "\u2028",
        "\u0000", // raw characters NGINX escapes
      })
  void refusesMalformedIds(String raw) {
    assertThat(ModelId.decode(raw, 1024)).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1025, 4096, 30_000})
  void refusesIdsLongerThanTheLimit(int bytes) {
    assertThat(ModelId.decode("a".repeat(bytes), 1024)).isNull();
    assertThat(ModelId.decode("%41".repeat(bytes), 1024)).isNull();
    assertThat(ModelId.decode("a".repeat(1024), 1024)).hasSize(1024);
  }
}
