package io.igw.picker.kvcache;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Memory of the index per million blocks: fills it with {@code blocks} entries over {@code
 * endpoints} endpoints (each endpoint its own prompts, so no key is shared) and prints the arrays'
 * size and the heap used after a GC, per million entries, and how fast BlockStored events were
 * applied (64 blocks each, keys computed from the tokens). Run: {@code java -cp …
 * io.igw.picker.kvcache.KvEventIndexFootprint [blocks] [endpoints]}.
 */
public final class KvEventIndexFootprint {
  static final int BLOCKS_PER_EVENT = 64;

  private KvEventIndexFootprint() {}

  public static void main(String[] args) {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    fill(blocks / 4, endpoints);
    long before = heapUsedAfterGc();
    long start = System.nanoTime();
    KvEventIndex index = fill(blocks, endpoints);
    double seconds = (System.nanoTime() - start) / 1e9;
    long after = heapUsedAfterGc();
    double millions = index.stats().entries() / 1e6;
    System.out.printf(
        "entries=%d endpoints=%d arrays_mb_per_million=%.1f heap_mb_per_million=%.1f"
            + " blocks_per_second=%.0f%n",
        index.stats().entries(),
        index.stats().endpoints(),
        index.footprintBytes() / 1e6 / millions,
        (after - before) / 1e6 / millions,
        blocks / seconds);
  }

  /** An index holding {@code blocks} entries spread over {@code endpoints}. */
  static KvEventIndex fill(int blocks, int endpoints) {
    BlockKeys keys = new BlockKeys(16, 0);
    KvEventIndex index = new KvEventIndex(keys, blocks);
    SplittableRandom random = new SplittableRandom(7);
    int[] tokens = new int[BLOCKS_PER_EVENT * 16];
    long[] hashes = new long[BLOCKS_PER_EVENT];
    for (int done = 0, event = 0; done < blocks; done += BLOCKS_PER_EVENT, event++) {
      for (int t = 0; t < tokens.length; t++) {
        tokens[t] = random.nextInt(150_000);
      }
      for (int h = 0; h < hashes.length; h++) {
        hashes[h] = random.nextLong();
      }
      KvEvent.BlockStored stored =
          new KvEvent.BlockStored(hashes.clone(), null, tokens.clone(), 16, null, "GPU");
      index.apply(
          "10.0." + (event % endpoints) / 250 + "." + (event % endpoints) % 250 + ":8000",
          "m",
          new KvEventBatch(0, List.of(stored)));
    }
    return index;
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
