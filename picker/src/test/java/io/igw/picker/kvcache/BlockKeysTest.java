package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockKeysTest {
  private final BlockKeys keys = new BlockKeys(16, 0);

  @Test
  void equalPrefixesGiveEqualLeadingKeysAndOnlyFullBlocksHaveOne() {
    int[] a = VllmPayloads.tokens(0, 50);
    int[] b = Arrays.copyOf(a, 40);
    b[39] = -1;

    long[] ka = keys.of("m", a);
    long[] kb = keys.of("m", b);

    assertThat(ka).hasSize(3);
    assertThat(kb).hasSize(2);
    assertThat(kb[0]).isEqualTo(ka[0]);
    assertThat(kb[1]).isEqualTo(ka[1]);
    assertThat(keys.of("m", a, 2)).containsExactly(ka[0], ka[1]);
  }

  @Test
  void aBlocksKeyDependsOnEveryBlockBeforeItTheModelAndTheSeed() {
    int[] a = VllmPayloads.tokens(0, 32);
    int[] b = a.clone();
    b[0] = 99;

    assertThat(keys.of("m", b)[1]).isNotEqualTo(keys.of("m", a)[1]);
    assertThat(keys.of("lora", a)[0]).isNotEqualTo(keys.of("m", a)[0]);
    assertThat(new BlockKeys(16, 7).of("m", a)[0]).isNotEqualTo(keys.of("m", a)[0]);
    assertThat(keys.of(null, a)).containsExactly(keys.of("", a));
  }

  @Test
  void theChainIsRootThenNext() {
    int[] a = VllmPayloads.tokens(3, 32);

    long first = keys.next(keys.root("m"), a, 0);

    assertThat(keys.of("m", a)).containsExactly(first, keys.next(first, a, 16));
    assertThat(first).isNotZero();
  }
}
