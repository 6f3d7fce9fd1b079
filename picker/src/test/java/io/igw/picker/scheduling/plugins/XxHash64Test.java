package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** Our xxHash64 must give lz4-java's values: the prefix index's hashes were defined with it. */
class XxHash64Test {
  private static final XXHash64 REFERENCE = XXHashFactory.safeInstance().hash64();

  @Test
  void givesTheReferenceValuesForEveryLengthOffsetAndSeed() {
    SplittableRandom random = new SplittableRandom(3);
    byte[] data = new byte[400];
    random.nextBytes(data);
    for (int length = 0; length <= 300; length++) {
      int offset = random.nextInt(data.length - length + 1);
      long seed = length % 3 == 0 ? 0 : random.nextLong();
      assertThat(XxHash64.hash(data, offset, length, seed))
          .as("length %d", length)
          .isEqualTo(REFERENCE.hash(data, offset, length, seed));
    }
  }

  @Test
  void knowsTheSpecificationsEmptyInput() {
    assertThat(XxHash64.hash(new byte[0], 0, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
  }
}
