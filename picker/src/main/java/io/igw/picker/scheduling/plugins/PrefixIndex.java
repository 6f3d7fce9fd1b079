package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Approximate index of which server holds which prompt blocks: per server an LRU of block hashes (the blocks it
 * was sent), and for each hash a bit set of the servers that hold it (servers get small dense ids). Matching is
 * greedy longest-prefix: a server's match ends at its first missing block; it costs one map lookup and a few word
 * operations per block, whatever the number of servers. Thread-safe (one lock; every operation is short).
 */
public final class PrefixIndex {
  private final Map<Long, long[]> serversByHash = new HashMap<>();
  private final Map<String, ServerBlocks> servers = new HashMap<>();
  private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
  private final int defaultCapacity;
  private int nextId;
  private int[] slotById = new int[64];
  private long totalBlocks;

  public PrefixIndex(int defaultCapacity) {
    this.defaultCapacity = defaultCapacity;
  }

  /** Writes into {@code matched[i]} how many leading blocks candidate i holds. */
  public synchronized void match(List<EndpointState> candidates, long[] hashes, int[] matched, long nowMillis) {
    long[] alive = new long[words()];
    boolean any = false;
    for (int i = 0; i < candidates.size(); i++) {
      ServerBlocks server = servers.get(candidates.get(i).address());
      if (server != null) {
        server.lastSeenMillis = nowMillis;
        slotById[server.id] = i;
        alive[server.id >>> 6] |= 1L << server.id;
        any = true;
      }
    }
    int block = 0;
    for (; block < hashes.length && any; block++) {
      long[] holders = serversByHash.get(hashes[block]);
      any = false;
      for (int w = 0; w < alive.length; w++) {
        long still = holders == null || w >= holders.length ? 0 : alive[w] & holders[w];
        record(alive[w] & ~still, w, block, matched);
        alive[w] = still;
        any |= still != 0;
      }
    }
    for (int w = 0; w < alive.length; w++) {
      record(alive[w], w, block, matched);
    }
  }

  private void record(long servers, int word, int blocks, int[] matched) {
    while (servers != 0) {
      int bit = Long.numberOfTrailingZeros(servers);
      matched[slotById[(word << 6) + bit]] = blocks;
      servers &= servers - 1;
    }
  }

  /**
   * Records that {@code address} now holds these blocks (most recent use). {@code capacity} > 0 sets the server's
   * capacity in blocks (a smaller one evicts its least recently used blocks at once); 0 keeps it.
   */
  public synchronized void add(String address, long[] hashes, int capacity, long nowMillis) {
    ServerBlocks server = servers.computeIfAbsent(address, a -> new ServerBlocks(a, newId(), defaultCapacity));
    server.lastSeenMillis = nowMillis;
    if (capacity > 0 && capacity != server.capacity) {
      server.capacity = capacity;
      server.evictBeyondCapacity();
    }
    for (long hash : hashes) {
      if (server.put(hash, Boolean.TRUE) == null) {
        totalBlocks++;
        long[] holders = serversByHash.get(hash);
        int word = server.id >>> 6;
        if (holders == null || holders.length <= word) {
          long[] grown = new long[Math.max(word + 1, holders == null ? 1 : holders.length)];
          if (holders != null) {
            System.arraycopy(holders, 0, grown, 0, holders.length);
          }
          holders = grown;
          serversByHash.put(hash, holders);
        }
        holders[word] |= 1L << server.id;
      }
    }
  }

  /** Forgets the servers that have not been a candidate since {@code idleSinceMillis} (gone from every pool). */
  public synchronized void purgeIdle(long idleSinceMillis) {
    for (Iterator<ServerBlocks> it = servers.values().iterator(); it.hasNext(); ) {
      ServerBlocks server = it.next();
      if (server.lastSeenMillis < idleSinceMillis) {
        for (Long hash : server.keySet()) {
          unlink(hash, server);
        }
        totalBlocks -= server.size();
        it.remove();
        freeIds.add(server.id);
      }
    }
  }

  public synchronized int serverCount() {
    return servers.size();
  }

  public synchronized int blockCount(String address) {
    ServerBlocks server = servers.get(address);
    return server == null ? 0 : server.size();
  }

  /** The server's capacity in blocks; the default for a server not seen yet. */
  public synchronized int capacity(String address) {
    ServerBlocks server = servers.get(address);
    return server == null ? defaultCapacity : server.capacity;
  }

  /** Blocks held over all servers (a block two servers hold counts twice), as upstream's index size. */
  public synchronized long totalBlocks() {
    return totalBlocks;
  }

  private int newId() {
    Integer free = freeIds.poll();
    int id = free != null ? free : nextId++;
    if (id >= slotById.length) {
      slotById = java.util.Arrays.copyOf(slotById, slotById.length * 2);
    }
    return id;
  }

  private int words() {
    return (nextId + 63) >>> 6;
  }

  private void unlink(Long hash, ServerBlocks server) {
    long[] holders = serversByHash.get(hash);
    if (holders == null) {
      return;
    }
    holders[server.id >>> 6] &= ~(1L << server.id);
    for (long word : holders) {
      if (word != 0) {
        return;
      }
    }
    serversByHash.remove(hash);
  }

  /** One server's blocks, least recently used first; evicting unlinks the hash. */
  private final class ServerBlocks extends LinkedHashMap<Long, Boolean> {
    final String address;
    final int id;
    int capacity;
    long lastSeenMillis;

    ServerBlocks(String address, int id, int capacity) {
      super(16, 0.75f, true);
      this.address = address;
      this.id = id;
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      if (size() > capacity) {
        unlink(eldest.getKey(), this);
        totalBlocks--;
        return true;
      }
      return false;
    }

    void evictBeyondCapacity() {
      Iterator<Long> eldestFirst = keySet().iterator();
      while (size() > capacity) {
        unlink(eldestFirst.next(), this);
        eldestFirst.remove();
        totalBlocks--;
      }
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return id;
    }
  }
}
