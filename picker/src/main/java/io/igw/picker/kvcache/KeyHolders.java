package io.igw.picker.kvcache;

import java.util.Arrays;

/**
 * For each igw block key, the endpoints (small dense ids) that hold it, as bit words stored inline: an open-addressing
 * table (linear probing, backward-shift deletion, at most half full; key 0, which {@link BlockKeys} never makes, marks
 * an empty slot), so a lookup is one probe run with no boxing. A key no endpoint holds is removed. Not thread-safe:
 * {@link KvEventIndex} guards it.
 */
final class KeyHolders {
  private static final int MIN_CAPACITY = 1024;

  private long[] keys;
  /** {@code stride} words per slot: endpoints 64w..64w+63 in word w. */
  private long[] words;
  private int stride;
  private int shift;
  private int size;

  KeyHolders() {
    allocate(MIN_CAPACITY, 1);
  }

  int size() {
    return size;
  }

  /** The slot of {@code key}, or -1 when no endpoint holds it. */
  int find(long key) {
    int mask = keys.length - 1;
    for (int i = home(key); keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /** Word {@code w} of the holders at {@code slot}. */
  long word(int slot, int w) {
    return w < stride ? words[slot * stride + w] : 0;
  }

  /** Marks {@code endpoint} as holding {@code key}; false when it already did. */
  boolean add(long key, int endpoint) {
    int w = endpoint >>> 6;
    if (w >= stride) {
      rehash(keys.length, w + 1);
    }
    int mask = keys.length - 1;
    int i = home(key);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      keys[i] = key;
      size++;
    }
    long bit = 1L << endpoint;
    boolean added = (words[i * stride + w] & bit) == 0;
    words[i * stride + w] |= bit;
    if (size * 2 > keys.length) {
      rehash(keys.length * 2, stride);
    }
    return added;
  }

  void remove(long key, int endpoint) {
    int i = find(key);
    int w = endpoint >>> 6;
    if (i < 0 || w >= stride) {
      return;
    }
    words[i * stride + w] &= ~(1L << endpoint);
    for (int k = 0; k < stride; k++) {
      if (words[i * stride + k] != 0) {
        return;
      }
    }
    delete(i);
  }

  long footprintBytes() {
    return 8L * keys.length + 8L * words.length;
  }

  private void delete(int gap) {
    int mask = keys.length - 1;
    for (int j = (gap + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      if (((j - home(keys[j])) & mask) >= ((j - gap) & mask)) {
        keys[gap] = keys[j];
        System.arraycopy(words, j * stride, words, gap * stride, stride);
        gap = j;
      }
    }
    keys[gap] = 0;
    Arrays.fill(words, gap * stride, gap * stride + stride, 0);
    size--;
  }

  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void allocate(int capacity, int newStride) {
    keys = new long[capacity];
    words = new long[capacity * newStride];
    stride = newStride;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }

  private void rehash(int capacity, int newStride) {
    long[] oldKeys = keys;
    long[] oldWords = words;
    int oldStride = stride;
    allocate(capacity, newStride);
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != 0) {
        int i = home(oldKeys[j]);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        System.arraycopy(oldWords, j * oldStride, words, i * newStride, oldStride);
        size++;
      }
    }
  }
}
