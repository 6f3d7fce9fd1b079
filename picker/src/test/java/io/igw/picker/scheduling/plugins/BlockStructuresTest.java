package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The primitive LRU and holder table against the JDK collections they replaced, on random
 * operations.
 */
class BlockStructuresTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 50, 1000})
  void theLruKeepsTheOrderOfAnAccessOrderedLinkedHashMap(int capacity) {
    SplittableRandom random = new SplittableRandom(capacity);
    BlockLru lru = new BlockLru();
    LinkedHashMap<Long, Boolean> model = new LinkedHashMap<>(16, 0.75f, true);
    for (int step = 0; step < 50_000; step++) {
      long hash = key(random, capacity * 3);
      boolean added = lru.touch(hash);
      assertThat(added).isEqualTo(model.put(hash, Boolean.TRUE) == null);
      if (added && lru.size() > capacity) {
        long evicted = lru.evictEldest();
        Long eldest = model.keySet().iterator().next();
        model.remove(eldest);
        assertThat(evicted).isEqualTo(eldest);
      }
      if (step % 997 == 0) {
        assertThat(lru.toArray())
            .containsExactly(model.keySet().stream().mapToLong(Long::longValue).toArray());
      }
    }
    assertThat(lru.size()).isEqualTo(model.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 300, 5000})
  void theHolderTableAgreesWithAMapOfBitSets(int keySpace) {
    SplittableRandom random = new SplittableRandom(keySpace);
    BlockHolders holders = new BlockHolders();
    Map<Long, BitSet> model = new HashMap<>();
    for (int step = 0; step < 60_000; step++) {
      long hash = key(random, keySpace);
      int server = random.nextInt(step < 30_000 ? 70 : 150); // the bit words grow half way
      if (random.nextInt(3) > 0) {
        holders.add(hash, server);
        model.computeIfAbsent(hash, h -> new BitSet()).set(server);
      } else {
        holders.remove(hash, server);
        BitSet bits = model.get(hash);
        if (bits != null) {
          bits.clear(server);
          if (bits.isEmpty()) {
            model.remove(hash);
          }
        }
      }
      if (step % 1009 == 0) {
        assertThat(holders.size()).isEqualTo(model.size());
        for (Map.Entry<Long, BitSet> entry : model.entrySet()) {
          int slot = holders.find(entry.getKey());
          long[] expected = entry.getValue().toLongArray();
          for (int w = 0; w < 3; w++) {
            assertThat(holders.word(slot, w)).isEqualTo(w < expected.length ? expected[w] : 0);
          }
        }
      }
    }
    for (int i = 0; i < 2000; i++) {
      long hash = key(random, keySpace);
      assertThat(holders.find(hash) >= 0).isEqualTo(model.containsKey(hash));
    }
  }

  /**
   * Keys from a small space, with 0, negatives and multiples of a large power of two (same table
   * home).
   */
  private static long key(SplittableRandom random, int space) {
    int k = random.nextInt(space);
    return switch (k % 4) {
      case 0 -> k;
      case 1 -> -k;
      case 2 -> (long) k << 40;
      default -> k * 0x9E3779B97F4A7C15L;
    };
  }
}
