package io.igw.picker.kvcache;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Which endpoint holds which prompt blocks, from their KV events, keyed by igw's own {@link
 * BlockKeys}: each BlockStored's token ids are cut into the picker's blocks and chained from its
 * parent's key (the engine hash → key map of that endpoint gives the parent; a store whose parent
 * is unknown is skipped, as llm-d does), so the engine's hash algorithm, seed and block size (a
 * multiple of the picker's) need not match. BlockRemoved finds the entries by engine hash; a block
 * stored twice needs two removals. Memory is bounded: beyond {@code budgetEntries} the least
 * recently stored entries go.
 *
 * <p>Lookups ({@link #matches}) take a read lock and cost, per request block, one probe run over
 * the entries of that key (one per endpoint holding it), stopping at the first block no candidate
 * holds. Writers take the write lock per batch. Clearing an endpoint (restart, AllBlocksCleared,
 * removal) is constant time: the endpoint gets a new id at once and its old entries, invisible to
 * lookups, are reclaimed a bounded number at a time by later writes and {@link #sweep}.
 * Thread-safe.
 */
public final class KvEventIndex {
  /** Entries kept by default (about 50 MB of arrays a million; see docs/kv-events.md). */
  public static final int DEFAULT_BUDGET_ENTRIES = 4_000_000;

  /** Entry slots a write or a sweep looks at for a cleared endpoint's leftovers. */
  static final int SWEEP_STEP = 8192;

  private final BlockKeys keys;
  private final int budget;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final IndexEntries entries = new IndexEntries();
  private final Map<String, Integer> liveIds = new HashMap<>();
  private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
  private int nextId;
  private int[] entriesById = new int[64];
  private boolean[] retired = new boolean[64];
  private long retiredEntries;
  private int sweepCursor;
  private long storedBlocks;
  private long removedBlocks;
  private long budgetEvictions;
  private long orphanStores;
  private long mismatchedStores;
  private long unknownRemovals;
  private long clears;

  public KvEventIndex(BlockKeys keys, int budgetEntries) {
    if (budgetEntries < 1) {
      throw new IllegalArgumentException("budget must be positive: " + budgetEntries);
    }
    this.keys = keys;
    this.budget = budgetEntries;
  }

  /** The key function requests must use to be compared with this index. */
  public BlockKeys keys() {
    return keys;
  }

  /**
   * Applies one batch of {@code endpoint}'s events. {@code model} names the base model the endpoint
   * serves (the blocks' root key; a store's {@code lora_name} overrides it); null is the empty
   * name.
   */
  public void apply(String endpoint, String model, KvEventBatch batch) {
    lock.writeLock().lock();
    try {
      int id = liveId(endpoint);
      for (KvEvent event : batch.events()) {
        if (event instanceof KvEvent.BlockStored stored) {
          store(id, model, stored);
        } else if (event instanceof KvEvent.BlockRemoved removed) {
          remove(id, removed);
        } else {
          retire(endpoint);
          clears++;
          id = liveId(endpoint);
        }
      }
      sweepStep();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets what {@code endpoint} holds (its engine restarted); later batches start afresh. */
  public void clear(String endpoint) {
    lock.writeLock().lock();
    try {
      if (retire(endpoint)) {
        clears++;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets {@code endpoint} (gone from the pools). */
  public void removeEndpoint(String endpoint) {
    lock.writeLock().lock();
    try {
      retire(endpoint);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * For each endpoint, how many leading blocks of {@code blockKeys} it holds: its match ends at its
   * first missing block. An endpoint the index does not know holds none.
   */
  public int[] matches(List<String> endpoints, long[] blockKeys) {
    int[] matched = new int[endpoints.size()];
    lock.readLock().lock();
    try {
      int[] ids = new int[endpoints.size()];
      int[] alive = new int[endpoints.size()];
      int aliveCount = 0;
      for (int i = 0; i < ids.length; i++) {
        Integer id = liveIds.get(endpoints.get(i));
        ids[i] = id == null ? IndexEntries.NONE : id;
        if (id != null) {
          alive[aliveCount++] = id;
        }
      }
      // byId[id]: blocks matched, once its match ended; marks[id] = b + 1 when it holds block b
      int[] byId = new int[nextId];
      int[] marks = new int[nextId];
      int block = 0;
      for (; block < blockKeys.length && aliveCount > 0; block++) {
        entries.markHolders(blockKeys[block], marks, block + 1);
        int still = 0;
        for (int a = 0; a < aliveCount; a++) {
          if (marks[alive[a]] == block + 1) {
            alive[still++] = alive[a];
          } else {
            byId[alive[a]] = block;
          }
        }
        aliveCount = still;
      }
      for (int a = 0; a < aliveCount; a++) {
        byId[alive[a]] = block;
      }
      for (int i = 0; i < ids.length; i++) {
        matched[i] = ids[i] == IndexEntries.NONE ? 0 : byId[ids[i]];
      }
      return matched;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether {@code endpoint}'s events reached the index: a batch was applied since it was
   * subscribed (or last removed). An endpoint that publishes nothing stays unknown; one whose
   * engine restarted is unknown until its next batch; an AllBlocksCleared keeps it known (with
   * nothing held).
   */
  public boolean knows(String endpoint) {
    lock.readLock().lock();
    try {
      return liveIds.containsKey(endpoint);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many leading blocks of {@code blockKeys} {@code endpoint} holds. */
  public int longestPrefix(String endpoint, long[] blockKeys) {
    return matches(List.of(endpoint), blockKeys)[0];
  }

  /**
   * Reclaims a bounded number of a cleared endpoint's leftover entries; a no-op when there are
   * none.
   */
  public void sweep() {
    lock.writeLock().lock();
    try {
      sweepStep();
    } finally {
      lock.writeLock().unlock();
    }
  }

  public KvIndexStats stats() {
    lock.readLock().lock();
    try {
      return new KvIndexStats(
          liveIds.size(),
          entries.size() - retiredEntries,
          retiredEntries,
          storedBlocks,
          removedBlocks,
          budgetEvictions,
          orphanStores,
          mismatchedStores,
          unknownRemovals,
          clears);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Bytes of the index's arrays: what its entries cost in memory, leftovers of cleared endpoints
   * included.
   */
  public long footprintBytes() {
    lock.readLock().lock();
    try {
      return entries.footprintBytes();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void store(int id, String model, KvEvent.BlockStored event) {
    int size = keys.blockSize();
    int engineBlock = event.blockSize();
    int subBlocks = engineBlock / size;
    long[] hashes = event.blockHashes();
    if (engineBlock % size != 0
        || subBlocks > IndexEntries.MAX_SUB_BLOCKS
        || (long) hashes.length * engineBlock != event.tokenIds().length) {
      mismatchedStores++;
      return;
    }
    long parentKey;
    if (event.parentBlockHash() == null) {
      parentKey = keys.root(event.loraName() != null ? event.loraName() : model);
    } else {
      int parent = entries.find(id, event.parentBlockHash(), subBlocks - 1);
      if (parent == IndexEntries.NONE) {
        orphanStores++;
        return;
      }
      parentKey = entries.key(parent);
    }
    java.nio.ByteBuffer buffer = keys.newBuffer();
    for (int b = 0; b < hashes.length; b++) {
      for (int sub = 0; sub < subBlocks; sub++) {
        int entry = entries.find(id, hashes[b], sub);
        if (entry != IndexEntries.NONE) {
          entries.storedAgain(entry);
          parentKey = entries.key(entry);
          continue;
        }
        parentKey = keys.next(parentKey, event.tokenIds(), (b * subBlocks + sub) * size, buffer);
        entries.add(id, hashes[b], sub, parentKey);
        entriesById[id]++;
      }
      storedBlocks++;
    }
    while (entries.size() > budget) {
      removeEntry(entries.eldest());
      budgetEvictions++;
    }
  }

  private void remove(int id, KvEvent.BlockRemoved event) {
    for (long hash : event.blockHashes()) {
      int entry = entries.find(id, hash, 0);
      if (entry == IndexEntries.NONE) {
        unknownRemovals++;
        continue;
      }
      removedBlocks++;
      for (int sub = 1; entry != IndexEntries.NONE; sub++) {
        if (entries.unstore(entry) == 0) {
          removeEntry(entry);
        }
        entry = sub < IndexEntries.MAX_SUB_BLOCKS ? entries.find(id, hash, sub) : IndexEntries.NONE;
      }
    }
  }

  private void removeEntry(int entry) {
    int id = entries.endpoint(entry);
    entries.remove(entry);
    entriesById[id]--;
    if (retired[id]) {
      retiredEntries--;
      if (entriesById[id] == 0) {
        retired[id] = false;
        freeIds.add(id);
      }
    }
  }

  private int liveId(String endpoint) {
    Integer id = liveIds.get(endpoint);
    if (id != null) {
      return id;
    }
    Integer free = freeIds.poll();
    int fresh = free != null ? free : nextId++;
    if (fresh >= entriesById.length) {
      entriesById = Arrays.copyOf(entriesById, entriesById.length * 2);
      retired = Arrays.copyOf(retired, retired.length * 2);
    }
    liveIds.put(endpoint, fresh);
    return fresh;
  }

  /**
   * The endpoint's entries become leftovers (or its id is free at once when it has none); false if
   * unknown.
   */
  private boolean retire(String endpoint) {
    Integer id = liveIds.remove(endpoint);
    if (id == null) {
      return false;
    }
    if (entriesById[id] == 0) {
      freeIds.add(id);
    } else {
      retired[id] = true;
      retiredEntries += entriesById[id];
    }
    return true;
  }

  private void sweepStep() {
    for (int looked = 0; retiredEntries > 0 && looked < SWEEP_STEP; looked++) {
      if (sweepCursor >= entries.highWater()) {
        sweepCursor = 0;
      }
      int entry = sweepCursor++;
      int id = entries.endpoint(entry);
      if (id != IndexEntries.NONE && retired[id]) {
        removeEntry(entry);
      }
    }
  }
}
