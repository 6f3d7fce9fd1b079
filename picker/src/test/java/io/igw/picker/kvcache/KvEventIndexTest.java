package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The index from events to matches. Engine hashes here are random numbers, unrelated to the tokens,
 * as a foreign engine's would be: the index chains its own keys from the token ids.
 */
class KvEventIndexTest {
  private static final String A = "127.0.10.1:8000";
  private static final String B = "127.0.10.2:8000";
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private final BlockKeys keys = new BlockKeys(16, 0);
  private final KvEventIndex index = new KvEventIndex(keys, 100_000);
  private final SplittableRandom random = new SplittableRandom(1);

  private long[] engineHashes(int blocks) {
    long[] hashes = new long[blocks];
    for (int i = 0; i < blocks; i++) {
      hashes[i] = random.nextLong();
    }
    return hashes;
  }

  private static KvEvent.BlockStored stored(
      long[] hashes, Long parent, int[] tokens, int blockSize) {
    return new KvEvent.BlockStored(hashes, parent, tokens, blockSize, null, "GPU");
  }

  private static KvEvent.BlockStored stored(long[] hashes, Long parent, int[] tokens) {
    return stored(hashes, parent, tokens, 16);
  }

  private static KvEventBatch batch(KvEvent... events) {
    return new KvEventBatch(0, List.of(events));
  }

  private static int[] range(int[] tokens, int fromBlock, int toBlock) {
    return Arrays.copyOfRange(tokens, fromBlock * 16, toBlock * 16);
  }

  private static long[] range(long[] hashes, int from, int to) {
    return Arrays.copyOfRange(hashes, from, to);
  }

  private static int[] prompt(int seed, int tokens) {
    return new SplittableRandom(seed).ints(tokens, 0, 150_000).toArray();
  }

  @Test
  void eachEndpointMatchesTheLeadingBlocksItStored() {
    int[] prompt = prompt(1, 5 * 16 + 7);
    long[] onA = engineHashes(5);
    long[] onB = engineHashes(2);
    index.apply(A, MODEL, batch(stored(onA, null, range(prompt, 0, 5))));
    index.apply(B, MODEL, batch(stored(onB, null, range(prompt, 0, 2))));

    int[] matched = index.matches(List.of(A, B, "127.0.10.3:8000"), keys.of(MODEL, prompt));

    assertThat(matched).containsExactly(5, 2, 0);
    int[] diverging = prompt.clone();
    diverging[2 * 16 + 3]++;
    assertThat(index.matches(List.of(A, B), keys.of(MODEL, diverging))).containsExactly(2, 2);
    assertThat(index.longestPrefix(A, keys.of("another-model", prompt))).isZero();
  }

  @Test
  void aStoreAfterItsParentContinuesTheParentsChain() {
    int[] prompt = prompt(2, 5 * 16);
    long[] hashes = engineHashes(5);

    index.apply(A, MODEL, batch(stored(range(hashes, 0, 2), null, range(prompt, 0, 2))));
    index.apply(A, MODEL, batch(stored(range(hashes, 2, 5), hashes[1], range(prompt, 2, 5))));

    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(5);
    assertThat(index.stats().storedBlocks()).isEqualTo(5);
  }

  @Test
  void aStoreWhoseParentIsUnknownIsSkipped() {
    int[] prompt = prompt(3, 4 * 16);
    long[] hashes = engineHashes(4);

    index.apply(A, MODEL, batch(stored(range(hashes, 2, 4), hashes[1], range(prompt, 2, 4))));

    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isZero();
    assertThat(index.stats().orphanStores()).isEqualTo(1);
    assertThat(index.stats().entries()).isZero();
  }

  @Test
  void largerEngineBlocksAreCutIntoThePickersBlocks() {
    int[] prompt = prompt(4, 128);
    long[] hashes = engineHashes(2);

    index.apply(A, MODEL, batch(stored(hashes, null, prompt, 64)));

    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(8);
    assertThat(index.longestPrefix(A, keys.of(MODEL, Arrays.copyOf(prompt, 72)))).isEqualTo(4);
    index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(new long[] {hashes[1]}, "GPU")));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(4);
    assertThat(index.stats().entries()).isEqualTo(4);
  }

  @Test
  void storesWhoseTokensDoNotFillTheirBlocksAreSkipped() {
    int[] prompt = prompt(5, 48);

    index.apply(
        A,
        MODEL,
        batch(
            stored(engineHashes(3), null, Arrays.copyOf(prompt, 47)),
            stored(engineHashes(2), null, prompt, 24)));

    assertThat(index.stats().mismatchedStores()).isEqualTo(2);
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isZero();
  }

  @Test
  void aRemovedBlockEndsTheMatchThereAndUnknownRemovalsAreCounted() {
    int[] prompt = prompt(6, 5 * 16);
    long[] hashes = engineHashes(5);
    index.apply(A, MODEL, batch(stored(hashes, null, prompt)));

    index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(new long[] {hashes[2], 12345}, "GPU")));

    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(2);
    assertThat(index.stats().removedBlocks()).isEqualTo(1);
    assertThat(index.stats().unknownRemovals()).isEqualTo(1);
  }

  @Test
  void aBlockStoredTwiceStaysUntilRemovedTwice() {
    int[] prompt = prompt(7, 16);
    long[] hashes = engineHashes(1);
    KvEvent.BlockRemoved removal = new KvEvent.BlockRemoved(hashes, "GPU");
    index.apply(A, MODEL, batch(stored(hashes, null, prompt), stored(hashes, null, prompt)));

    index.apply(A, MODEL, batch(removal));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(1);

    index.apply(A, MODEL, batch(removal));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isZero();
  }

  @Test
  void twoEngineBlocksWithTheSameTokensShareOneKeyUntilBothAreGone() {
    int[] prompt = prompt(8, 16);
    long[] salted = engineHashes(2);
    index.apply(
        A,
        MODEL,
        batch(
            stored(new long[] {salted[0]}, null, prompt),
            stored(new long[] {salted[1]}, null, prompt)));

    index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(new long[] {salted[0]}, "GPU")));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(1);

    index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(new long[] {salted[1]}, "GPU")));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isZero();
  }

  @Test
  void anAdaptersBlocksChainFromTheAdaptersName() {
    int[] prompt = prompt(9, 32);

    index.apply(
        A,
        MODEL,
        batch(new KvEvent.BlockStored(engineHashes(2), null, prompt, 16, "sql-lora", "GPU")));

    assertThat(index.longestPrefix(A, keys.of("sql-lora", prompt))).isEqualTo(2);
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isZero();
  }

  @Test
  void allBlocksClearedForgetsTheEndpointAndItsLeftoversAreReclaimed() {
    int[] old = prompt(10, 4 * 16);
    int[] fresh = prompt(11, 2 * 16);
    index.apply(B, MODEL, batch(stored(engineHashes(4), null, old)));
    long[] oldHashes = engineHashes(4);

    index.apply(
        A,
        MODEL,
        batch(
            stored(oldHashes, null, old),
            new KvEvent.AllBlocksCleared(),
            stored(engineHashes(2), null, fresh)));

    assertThat(index.longestPrefix(A, keys.of(MODEL, old))).isZero();
    assertThat(index.longestPrefix(B, keys.of(MODEL, old))).isEqualTo(4);
    assertThat(index.longestPrefix(A, keys.of(MODEL, fresh))).isEqualTo(2);
    KvIndexStats stats = index.stats();
    assertThat(stats.clears()).isEqualTo(1);
    assertThat(stats.reclaiming()).isZero();
    assertThat(stats.entries()).isEqualTo(6);
    index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(oldHashes, "GPU")));
    assertThat(index.stats().unknownRemovals()).isEqualTo(4);
  }

  @Test
  void clearingOrRemovingAnEndpointIsImmediateForLookupsAndReclaimedBySweeps() {
    int[] prompt = prompt(12, 20_000 * 16);
    index.apply(A, MODEL, batch(stored(engineHashes(20_000), null, prompt)));
    index.apply(B, MODEL, batch(stored(engineHashes(20_000), null, prompt)));

    index.clear(A);
    index.removeEndpoint(B);

    assertThat(index.matches(List.of(A, B), keys.of(MODEL, prompt))).containsExactly(0, 0);
    KvIndexStats stats = index.stats();
    assertThat(stats.endpoints()).isZero();
    assertThat(stats.entries()).isZero();
    assertThat(stats.reclaiming()).isEqualTo(40_000);
    for (int i = 0; i < 10 && index.stats().reclaiming() > 0; i++) {
      index.sweep();
    }
    assertThat(index.stats().reclaiming()).isZero();
    index.apply(A, MODEL, batch(stored(engineHashes(3), null, Arrays.copyOf(prompt, 48))));
    assertThat(index.longestPrefix(A, keys.of(MODEL, prompt))).isEqualTo(3);
  }

  @Test
  void beyondItsBudgetTheLeastRecentlyStoredBlocksGo() {
    KvEventIndex small = new KvEventIndex(keys, 10);
    int[][] prompts = {prompt(13, 80), prompt(14, 80), prompt(15, 80)};
    for (int[] p : prompts) {
      small.apply(A, MODEL, batch(stored(engineHashes(5), null, p)));
    }

    assertThat(small.stats().entries()).isEqualTo(10);
    assertThat(small.stats().budgetEvictions()).isEqualTo(5);
    assertThat(small.longestPrefix(A, keys.of(MODEL, prompts[0]))).isZero();
    assertThat(small.longestPrefix(A, keys.of(MODEL, prompts[2]))).isEqualTo(5);
  }

  @Test
  void manyEndpointsEachMatchTheirOwnPrefix() {
    int[] prompt = prompt(16, 6 * 16);
    List<String> endpoints = new ArrayList<>();
    for (int e = 0; e < 150; e++) {
      String endpoint = "10.1." + e / 200 + "." + e % 200 + ":8000";
      endpoints.add(endpoint);
      int blocks = e % 7;
      if (blocks > 0) {
        index.apply(
            endpoint,
            MODEL,
            batch(stored(engineHashes(blocks), null, Arrays.copyOf(prompt, blocks * 16))));
      }
    }

    int[] matched = index.matches(endpoints, keys.of(MODEL, prompt));

    for (int e = 0; e < 150; e++) {
      assertThat(matched[e]).as("endpoint %d", e).isEqualTo(Math.min(6, e % 7));
    }
  }

  @Test
  void lookupsDuringWritesSeeWholeBlocksAndNeverFail() throws Exception {
    int[] prompt = prompt(17, 32 * 16);
    long[] request = keys.of(MODEL, prompt);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(3);
    List<Future<Integer>> results = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      results.add(
          readers.submit(
              () -> {
                int lookups = 0;
                while (writing.get()) {
                  int[] matched = index.matches(List.of(A, B), request);
                  assertThat(matched[0]).isBetween(0, 32);
                  lookups++;
                }
                return lookups;
              }));
    }
    for (int round = 0; round < 300; round++) {
      long[] hashes = engineHashes(32);
      index.apply(A, MODEL, batch(stored(hashes, null, prompt)));
      index.apply(A, MODEL, batch(new KvEvent.BlockRemoved(range(hashes, 16, 32), "GPU")));
      index.apply(A, MODEL, batch(new KvEvent.AllBlocksCleared()));
    }
    writing.set(false);
    for (Future<Integer> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isPositive();
    }
    readers.shutdown();
    assertThat(index.longestPrefix(A, request)).isZero();
  }
}
