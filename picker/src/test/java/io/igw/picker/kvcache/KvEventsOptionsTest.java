package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class KvEventsOptionsTest {

  @Test
  void upstreamsPortsAndFilterAreTheDefaults() {
    KvEventsOptions options = new KvEventsOptions();

    assertThat(options.getSocketPort()).isEqualTo(5557);
    assertThat(options.getReplaySocketPort()).isEqualTo(5558);
    assertThat(options.getTopicFilter()).isEqualTo("kv@");
    assertThat(options.getBlockSizeTokens()).isEqualTo(16);
    assertThat(options.blockKeys().blockSize()).isEqualTo(16);
  }

  @Test
  void survivesAJsonRoundTrip() {
    KvEventsOptions options =
        new KvEventsOptions()
            .setSocketPort(6000)
            .setReplaySocketPort(0)
            .setBlockSizeTokens(64)
            .setHashSeed(9)
            .setIndexBudgetEntries(10)
            .setReplayCooldownMs(0);

    assertThat(new KvEventsOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
  }

  @Test
  void valuesOutOfRangeAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new KvEventsOptions(new JsonObject().put("socketPort", 0)))
        .hasMessageContaining("socketPort");
    assertThatThrownBy(() -> new KvEventsOptions().setBlockSizeTokens(0))
        .hasMessageContaining("blockSizeTokens");
    assertThatThrownBy(() -> new KvEventsOptions().setReplayCooldownMs(-1))
        .hasMessageContaining("replayCooldownMs");
  }
}
