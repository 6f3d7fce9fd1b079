package io.igw.simulator.engine;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The GPU's KV-cache blocks, as vLLM's block pool keeps them: a block is in use while some sequence
 * holds a reference to it; a freed block keeps its content hash and stays findable by the prefix
 * cache until it is reused. Free blocks are reused least recently freed first, which makes eviction
 * LRU.
 */
final class KvBlockPool {

  private final long[] blockHash;
  private final int[] refCount;
  private final Map<Long, Integer> cachedBlocks = new HashMap<>();

  /** Blocks nobody references, in eviction order. */
  private final LinkedHashSet<Integer> freeQueue = new LinkedHashSet<>();

  private long evictions;
  private LongConsumer evictionListener = hash -> {};

  KvBlockPool(int numBlocks) {
    blockHash = new long[numBlocks];
    refCount = new int[numBlocks];
    for (int i = 0; i < numBlocks; i++) {
      freeQueue.add(i);
    }
  }

  /** Hears the hash of every cached block that {@link #allocate} evicts. */
  void onEviction(LongConsumer listener) {
    evictionListener = listener;
  }

  int numBlocks() {
    return blockHash.length;
  }

  int freeBlocks() {
    return freeQueue.size();
  }

  int usedBlocks() {
    return blockHash.length - freeQueue.size();
  }

  long evictions() {
    return evictions;
  }

  /** How many leading hashes, up to {@code limit}, name blocks the cache still holds. */
  int cachedPrefixLength(long[] hashes, int limit) {
    int n = 0;
    while (n < Math.min(limit, hashes.length) && cachedBlocks.containsKey(hashes[n])) {
      n++;
    }
    return n;
  }

  /** Cached blocks that referencing {@code hashes[0..n)} would take out of the free queue. */
  int freeBlocksAmong(long[] hashes, int n) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (refCount[cachedBlocks.get(hashes[i])] == 0) {
        count++;
      }
    }
    return count;
  }

  /** References the cached blocks of {@code hashes[0..n)} and returns them. */
  int[] reference(long[] hashes, int n) {
    int[] blocks = new int[n];
    for (int i = 0; i < n; i++) {
      int block = cachedBlocks.get(hashes[i]);
      if (refCount[block]++ == 0) {
        freeQueue.remove(block);
      }
      blocks[i] = block;
    }
    return blocks;
  }

  /**
   * Takes the least recently freed block, evicting its cached content; the caller checked there is
   * one.
   */
  int allocate() {
    Iterator<Integer> head = freeQueue.iterator();
    int block = head.next();
    head.remove();
    long hash = blockHash[block];
    if (hash != 0) {
      cachedBlocks.remove(hash, block);
      blockHash[block] = 0;
      evictions++;
      evictionListener.accept(hash);
    }
    refCount[block] = 1;
    return block;
  }

  /**
   * Makes a full block findable by its content hash (first block with that content wins); true when
   * it became cached, false when the block or its content already was.
   */
  boolean cache(int block, long hash) {
    if (blockHash[block] == 0 && cachedBlocks.putIfAbsent(hash, block) == null) {
      blockHash[block] = hash;
      return true;
    }
    return false;
  }

  void release(int block) {
    if (--refCount[block] == 0) {
      freeQueue.add(block);
    }
  }

  /** Drops every cached hash (vLLM's reset_prefix_cache); blocks in use stay in use. */
  void clearCache() {
    cachedBlocks.clear();
    java.util.Arrays.fill(blockHash, 0);
  }
}
