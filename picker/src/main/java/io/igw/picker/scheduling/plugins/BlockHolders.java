package io.igw.picker.scheduling.plugins;

import java.util.Arrays;

/**
 * For each block hash, the set of servers (small dense ids) that hold it, as bit words: an
 * open-addressing table (linear probing, backward-shift deletion) with the words stored inline, so
 * a lookup is one probe run and no boxing. A hash no server holds is removed. Not thread-safe:
 * {@link PrefixIndex} guards it.
 */
final class BlockHolders {
  static final int MIN_CAPACITY = 1024;

  private long[] keys;
  private boolean[] used;

  /** {@code stride} words per table slot. */
  private long[] words;

  private int stride;
  private int shift;
  private int size;

  BlockHolders() {
    allocate(MIN_CAPACITY, 1);
  }

  int size() {
    return size;
  }

  /** The table slot of {@code hash}, or -1 when no server holds it. */
  int find(long hash) {
    int mask = keys.length - 1;
    for (int i = home(hash); used[i]; i = (i + 1) & mask) {
      if (keys[i] == hash) {
        return i;
      }
    }
    return -1;
  }

  /** Word {@code w} (servers 64w..64w+63) of the holders at {@code slot}. */
  long word(int slot, int w) {
    return w < stride ? words[slot * stride + w] : 0;
  }

  void add(long hash, int server) {
    int w = server >>> 6;
    if (w >= stride) {
      rehash(keys.length, w + 1);
    }
    int mask = keys.length - 1;
    int i = home(hash);
    while (used[i] && keys[i] != hash) {
      i = (i + 1) & mask;
    }
    if (!used[i]) {
      used[i] = true;
      keys[i] = hash;
      size++;
    }
    words[i * stride + w] |= 1L << server;
    if (size * 2 > keys.length) {
      rehash(keys.length * 2, stride);
    }
  }

  void remove(long hash, int server) {
    int i = find(hash);
    int w = server >>> 6;
    if (i < 0 || w >= stride) {
      return;
    }
    words[i * stride + w] &= ~(1L << server);
    for (int k = 0; k < stride; k++) {
      if (words[i * stride + k] != 0) {
        return;
      }
    }
    delete(i);
  }

  /** Empties slot {@code gap}, moving back the entries of its probe run that may live there. */
  private void delete(int gap) {
    int mask = keys.length - 1;
    for (int j = (gap + 1) & mask; used[j]; j = (j + 1) & mask) {
      if (((j - home(keys[j])) & mask) >= ((j - gap) & mask)) {
        keys[gap] = keys[j];
        System.arraycopy(words, j * stride, words, gap * stride, stride);
        gap = j;
      }
    }
    used[gap] = false;
    Arrays.fill(words, gap * stride, gap * stride + stride, 0);
    size--;
  }

  private int home(long hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void allocate(int capacity, int newStride) {
    keys = new long[capacity];
    used = new boolean[capacity];
    words = new long[capacity * newStride];
    stride = newStride;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }

  private void rehash(int capacity, int newStride) {
    long[] oldKeys = keys;
    boolean[] oldUsed = used;
    long[] oldWords = words;
    int oldStride = stride;
    allocate(capacity, newStride);
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldUsed[j]) {
        int i = home(oldKeys[j]);
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = oldKeys[j];
        System.arraycopy(oldWords, j * oldStride, words, i * newStride, oldStride);
        size++;
      }
    }
  }
}
