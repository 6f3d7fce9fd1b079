package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives in a payload frame, the decoder returns a batch or a {@link
 * KvEventDecodeException}: random bytes, and real batches with bytes flipped, cut short or appended
 * to. Tries per property: {@code jqwik.tries.default}.
 */
class KvEventDecoderProperties {
  private static final byte[] REAL =
      VllmPayloads.batch(
          1.5,
          VllmPayloads.storedArray(new long[] {-3, 4}, 17L, VllmPayloads.tokens(0, 32), 16),
          VllmPayloads.storedMap(new long[] {-9}, null, VllmPayloads.tokens(5, 16), 16, "lora"),
          VllmPayloads.removedMap(-3),
          VllmPayloads.clearedArray());

  @Property
  void randomBytesNeverEscapeAsAnythingButADecodeError(@ForAll("bytes") byte[] payload) {
    assertDecodesOrRefuses(payload);
  }

  @Property
  void damagedRealBatchesNeverEscapeAsAnythingButADecodeError(@ForAll("damaged") byte[] payload) {
    assertDecodesOrRefuses(payload);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
  }

  @Provide
  Arbitrary<byte[]> damaged() {
    return Arbitraries.longs()
        .map(
            seed -> {
              Random random = new Random(seed);
              byte[] copy = java.util.Arrays.copyOf(REAL, REAL.length);
              for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
              }
              int cut = random.nextInt(3) == 0 ? random.nextInt(copy.length + 1) : copy.length;
              return java.util.Arrays.copyOf(
                  copy, cut + (random.nextInt(4) == 0 ? random.nextInt(8) : 0));
            });
  }

  private static void assertDecodesOrRefuses(byte[] payload) {
    try {
      KvEventBatch batch = KvEventDecoder.decode(payload);
      assertThat(batch.events().size() + batch.skippedEvents()).isLessThanOrEqualTo(payload.length);
    } catch (KvEventDecodeException refused) {
      assertThat(refused).hasMessageContaining("");
    }
  }
}
