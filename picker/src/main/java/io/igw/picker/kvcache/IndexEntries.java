package io.igw.picker.kvcache;

import java.util.Arrays;

/**
 * The index's entries, one per (endpoint id, engine block hash, sub-block): igw's key for that
 * block and how many times the engine stored it without removing it. All entries form one list in
 * the order they were last stored, so the owner can evict the eldest. Primitive parallel arrays (32
 * bytes an entry) and two open-addressing tables (linear probing, backward-shift deletion, at most
 * half full): one from the triple to the entry, for events, and one from the igw key to the entries
 * holding it (a key several endpoints hold has several slots), for lookups. No object per entry,
 * and memory per entry does not grow with the number of endpoints. A sub-block is one of the
 * picker's blocks inside a larger engine block. Not thread-safe: {@link KvEventIndex} guards it.
 */
final class IndexEntries {
  static final int NONE = -1;

  /** Picker blocks one engine block may span (the sub-block index has 8 bits). */
  static final int MAX_SUB_BLOCKS = 256;

  private static final int MIN_CAPACITY = 1024;
  private static final int MAX_COUNT = 0xFF_FFFF;

  /** Entry + 1 by (endpoint, engine hash, sub-block); 0 is an empty slot. */
  private int[] table;

  /** Entry + 1 by igw key, same length as {@link #table}. */
  private int[] byKey;

  private int shift;
  private long[] engineHash;
  private long[] key;

  /** The endpoint id, or {@link #NONE} for a free entry. */
  private int[] endpoint;

  /** Sub-block index in the top 8 bits, times stored in the low 24 (saturating). */
  private int[] subAndCount;

  private int[] older;
  private int[] newer;
  private int eldest = NONE;
  private int newest = NONE;
  private int freeEntries = NONE;
  private int highWater;
  private int size;

  IndexEntries() {
    table = new int[MIN_CAPACITY * 2];
    byKey = new int[MIN_CAPACITY * 2];
    shift = 64 - Integer.numberOfTrailingZeros(table.length);
    engineHash = new long[MIN_CAPACITY];
    key = new long[MIN_CAPACITY];
    endpoint = new int[MIN_CAPACITY];
    subAndCount = new int[MIN_CAPACITY];
    older = new int[MIN_CAPACITY];
    newer = new int[MIN_CAPACITY];
  }

  int size() {
    return size;
  }

  /** One past the highest entry index ever used: entries live in {@code [0, highWater())}. */
  int highWater() {
    return highWater;
  }

  /** The least recently stored entry, or {@link #NONE}. */
  int eldest() {
    return eldest;
  }

  /** The endpoint id of an entry, or {@link #NONE} when the entry is free. */
  int endpoint(int entry) {
    return endpoint[entry];
  }

  long key(int entry) {
    return key[entry];
  }

  int find(int endpointId, long hash, int sub) {
    int mask = table.length - 1;
    for (int i = home(endpointId, hash, sub); table[i] != 0; i = (i + 1) & mask) {
      int entry = table[i] - 1;
      if (engineHash[entry] == hash && endpoint[entry] == endpointId && sub(entry) == sub) {
        return entry;
      }
    }
    return NONE;
  }

  /** A new entry (stored once, the most recent); the triple must not be present. */
  int add(int endpointId, long hash, int sub, long blockKey) {
    int entry = newEntry();
    engineHash[entry] = hash;
    key[entry] = blockKey;
    endpoint[entry] = endpointId;
    subAndCount[entry] = (sub << 24) | 1;
    int mask = table.length - 1;
    int i = home(endpointId, hash, sub);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = entry + 1;
    int k = keyHome(blockKey);
    while (byKey[k] != 0) {
      k = (k + 1) & mask;
    }
    byKey[k] = entry + 1;
    linkNewest(entry);
    size++;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    }
    return entry;
  }

  /** The engine stored the entry's block again: one more store, and it becomes the most recent. */
  void storedAgain(int entry) {
    if ((subAndCount[entry] & MAX_COUNT) < MAX_COUNT) {
      subAndCount[entry]++;
    }
    if (entry != newest) {
      unlink(entry);
      linkNewest(entry);
    }
  }

  /**
   * One store of the entry's block removed; returns the stores left (0: the caller removes the
   * entry).
   */
  int unstore(int entry) {
    int count = (subAndCount[entry] & MAX_COUNT) - 1;
    subAndCount[entry]--;
    return count;
  }

  /**
   * Writes {@code mark} into {@code marks[endpoint]} for every endpoint with an entry keyed {@code
   * blockKey} ({@code marks} spans every endpoint id in use).
   */
  void markHolders(long blockKey, int[] marks, int mark) {
    int mask = byKey.length - 1;
    for (int i = keyHome(blockKey); byKey[i] != 0; i = (i + 1) & mask) {
      int entry = byKey[i] - 1;
      if (key[entry] == blockKey) {
        marks[endpoint[entry]] = mark;
      }
    }
  }

  void remove(int entry) {
    deleteFromTable(entry);
    deleteFromKeys(entry);
    unlink(entry);
    endpoint[entry] = NONE;
    older[entry] = freeEntries;
    freeEntries = entry;
    size--;
  }

  /** Bytes of the arrays held (what the entries cost, whatever their number). */
  long footprintBytes() {
    return 4L * table.length + 4L * byKey.length + (8L + 8 + 4 + 4 + 4 + 4) * engineHash.length;
  }

  private int sub(int entry) {
    return subAndCount[entry] >>> 24;
  }

  private int newEntry() {
    if (freeEntries != NONE) {
      int entry = freeEntries;
      freeEntries = older[entry];
      return entry;
    }
    if (highWater == engineHash.length) {
      int grown = engineHash.length * 2;
      engineHash = Arrays.copyOf(engineHash, grown);
      key = Arrays.copyOf(key, grown);
      endpoint = Arrays.copyOf(endpoint, grown);
      subAndCount = Arrays.copyOf(subAndCount, grown);
      older = Arrays.copyOf(older, grown);
      newer = Arrays.copyOf(newer, grown);
    }
    return highWater++;
  }

  private void linkNewest(int entry) {
    older[entry] = newest;
    newer[entry] = NONE;
    if (newest != NONE) {
      newer[newest] = entry;
    } else {
      eldest = entry;
    }
    newest = entry;
  }

  private void unlink(int entry) {
    int before = older[entry];
    int after = newer[entry];
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

  private void deleteFromTable(int entry) {
    int mask = table.length - 1;
    int gap = home(entry);
    while (table[gap] - 1 != entry) {
      gap = (gap + 1) & mask;
    }
    for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      if (((j - home(table[j] - 1)) & mask) >= ((j - gap) & mask)) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
  }

  private void deleteFromKeys(int entry) {
    int mask = byKey.length - 1;
    int gap = keyHome(key[entry]);
    while (byKey[gap] - 1 != entry) {
      gap = (gap + 1) & mask;
    }
    for (int j = (gap + 1) & mask; byKey[j] != 0; j = (j + 1) & mask) {
      if (((j - keyHome(key[byKey[j] - 1])) & mask) >= ((j - gap) & mask)) {
        byKey[gap] = byKey[j];
        gap = j;
      }
    }
    byKey[gap] = 0;
  }

  private int keyHome(long blockKey) {
    long h = blockKey ^ (blockKey >>> 29);
    return (int) ((h * 0xBF58476D1CE4E5B9L) >>> shift);
  }

  private int home(int entry) {
    return home(endpoint[entry], engineHash[entry], sub(entry));
  }

  private int home(int endpointId, long hash, int sub) {
    long h = hash ^ (((long) endpointId << 8 | sub) * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    return (int) ((h * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void rehash(int capacity) {
    table = new int[capacity];
    byKey = new int[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    int mask = capacity - 1;
    for (int entry = 0; entry < highWater; entry++) {
      if (endpoint[entry] != NONE) {
        int i = home(entry);
        while (table[i] != 0) {
          i = (i + 1) & mask;
        }
        table[i] = entry + 1;
        int k = keyHome(key[entry]);
        while (byKey[k] != 0) {
          k = (k + 1) & mask;
        }
        byKey[k] = entry + 1;
      }
    }
  }
}
