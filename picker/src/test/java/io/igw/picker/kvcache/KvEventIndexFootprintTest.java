package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The index's arrays, counted exactly, stay under 64 bytes an entry at a million entries
 * (docs/kv-events.md).
 */
class KvEventIndexFootprintTest {

  @Test
  void aMillionBlocksFitInSixtyFourMegabytesOfArrays() {
    KvEventIndex index = KvEventIndexFootprint.fill(1_000_000, 100);

    assertThat(index.stats().entries()).isEqualTo(1_000_000);
    assertThat(index.footprintBytes() / 1_000_000.0).isLessThan(64);
  }
}
