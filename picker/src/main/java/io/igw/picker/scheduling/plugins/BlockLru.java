package io.igw.picker.scheduling.plugins;

/**
 * One server's blocks: a set of block hashes kept in least-recently-used order, without boxing.
 * Nodes live in parallel arrays linked both ways (eldest at the head); an open-addressing table
 * (linear probing, backward-shift deletion) maps a hash to its node. Grows as blocks arrive; the
 * owner bounds it by evicting the eldest. Not thread-safe: {@link PrefixIndex} guards it.
 */
final class BlockLru {
  static final int MIN_CAPACITY = 64;
  private static final int NONE = -1;

  /** Node index + 1; 0 is an empty slot. */
  private int[] table;

  private int shift;
  private long[] hashes;
  private int[] older;
  private int[] newer;
  private int eldest = NONE;
  private int newest = NONE;
  private int freeNodes = NONE;
  private int nodesUsed;
  private int size;

  BlockLru() {
    table = new int[MIN_CAPACITY * 2];
    shift = 64 - Integer.numberOfTrailingZeros(table.length);
    hashes = new long[MIN_CAPACITY];
    older = new int[MIN_CAPACITY];
    newer = new int[MIN_CAPACITY];
  }

  int size() {
    return size;
  }

  /** Makes {@code hash} the most recently used; returns true when it was not held before. */
  boolean touch(long hash) {
    int mask = table.length - 1;
    int i = home(hash);
    for (; table[i] != 0; i = (i + 1) & mask) {
      int node = table[i] - 1;
      if (hashes[node] == hash) {
        if (node != newest) {
          unlink(node);
          linkNewest(node);
        }
        return false;
      }
    }
    int node = newNode(hash);
    table[i] = node + 1;
    linkNewest(node);
    size++;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    }
    return true;
  }

  /** Removes the least recently used hash and returns it; the set must not be empty. */
  long evictEldest() {
    int node = eldest;
    long hash = hashes[node];
    unlink(node);
    deleteFromTable(hash);
    older[node] = freeNodes;
    freeNodes = node;
    size--;
    return hash;
  }

  /** Every hash held, eldest first. */
  long[] toArray() {
    long[] out = new long[size];
    int k = 0;
    for (int node = eldest; node != NONE; node = newer[node]) {
      out[k++] = hashes[node];
    }
    return out;
  }

  private int newNode(long hash) {
    int node;
    if (freeNodes != NONE) {
      node = freeNodes;
      freeNodes = older[node];
    } else {
      if (nodesUsed == hashes.length) {
        int grown = hashes.length * 2;
        hashes = java.util.Arrays.copyOf(hashes, grown);
        older = java.util.Arrays.copyOf(older, grown);
        newer = java.util.Arrays.copyOf(newer, grown);
      }
      node = nodesUsed++;
    }
    hashes[node] = hash;
    return node;
  }

  private void linkNewest(int node) {
    older[node] = newest;
    newer[node] = NONE;
    if (newest != NONE) {
      newer[newest] = node;
    } else {
      eldest = node;
    }
    newest = node;
  }

  private void unlink(int node) {
    int before = older[node];
    int after = newer[node];
    if (before != NONE) {
      newer[before] = after;
    } else {
      eldest = after;
    }
    if (after != NONE) {
      older[after] = before;
    } else {
      newest = before;
    }
  }

  private void deleteFromTable(long hash) {
    int mask = table.length - 1;
    int gap = home(hash);
    while (hashes[table[gap] - 1] != hash) {
      gap = (gap + 1) & mask;
    }
    for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      if (((j - home(hashes[table[j] - 1])) & mask) >= ((j - gap) & mask)) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
  }

  private int home(long hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void rehash(int capacity) {
    int[] old = table;
    table = new int[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    int mask = capacity - 1;
    for (int entry : old) {
      if (entry != 0) {
        int i = home(hashes[entry - 1]);
        while (table[i] != 0) {
          i = (i + 1) & mask;
        }
        table[i] = entry;
      }
    }
  }
}
