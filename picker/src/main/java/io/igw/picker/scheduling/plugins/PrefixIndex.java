package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Approximate index of which server holds which prompt blocks: per server an LRU of block hashes
 * (the blocks it was sent), and for each hash a bit set of the servers that hold it (servers get
 * small dense ids). Matching is greedy longest-prefix: a server's match ends at its first missing
 * block; it costs one map lookup and a few word operations per block, whatever the number of
 * servers. Hashes stay primitive ({@link BlockLru}, {@link BlockHolders}): no boxing per block.
 * Thread-safe (one lock; every operation is short).
 */
public final class PrefixIndex {
  private final BlockHolders holders = new BlockHolders();
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
  public synchronized void match(
      List<EndpointState> candidates, long[] hashes, int[] matched, long nowMillis) {
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
      int slot = holders.find(hashes[block]);
      any = false;
      for (int w = 0; w < alive.length; w++) {
        long still = slot < 0 ? 0 : alive[w] & holders.word(slot, w);
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
   * Records that {@code address} now holds these blocks (most recent use). {@code capacity} > 0
   * sets the server's capacity in blocks (a smaller one evicts its least recently used blocks at
   * once); 0 keeps it.
   */
  public synchronized void add(String address, long[] hashes, int capacity, long nowMillis) {
    ServerBlocks server =
        servers.computeIfAbsent(address, a -> new ServerBlocks(newId(), defaultCapacity));
    server.lastSeenMillis = nowMillis;
    if (capacity > 0 && capacity != server.capacity) {
      server.capacity = capacity;
      evictBeyondCapacity(server);
    }
    for (long hash : hashes) {
      if (server.blocks.touch(hash)) {
        holders.add(hash, server.id);
        totalBlocks++;
        evictBeyondCapacity(server);
      }
    }
  }

  private void evictBeyondCapacity(ServerBlocks server) {
    while (server.blocks.size() > server.capacity) {
      holders.remove(server.blocks.evictEldest(), server.id);
      totalBlocks--;
    }
  }

  /**
   * Forgets the servers that have not been a candidate since {@code idleSinceMillis} (gone from
   * every pool).
   */
  public synchronized void purgeIdle(long idleSinceMillis) {
    for (Iterator<ServerBlocks> it = servers.values().iterator(); it.hasNext(); ) {
      ServerBlocks server = it.next();
      if (server.lastSeenMillis < idleSinceMillis) {
        for (long hash : server.blocks.toArray()) {
          holders.remove(hash, server.id);
        }
        totalBlocks -= server.blocks.size();
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
    return server == null ? 0 : server.blocks.size();
  }

  /** The server's capacity in blocks; the default for a server not seen yet. */
  public synchronized int capacity(String address) {
    ServerBlocks server = servers.get(address);
    return server == null ? defaultCapacity : server.capacity;
  }

  /**
   * Blocks held over all servers (a block two servers hold counts twice), as upstream's index size.
   */
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

  /** One server: its dense id, its blocks (least recently used first) and how many it may hold. */
  private static final class ServerBlocks {
    final int id;
    final BlockLru blocks = new BlockLru();
    int capacity;
    long lastSeenMillis;

    ServerBlocks(int id, int capacity) {
      this.id = id;
      this.capacity = capacity;
    }
  }
}
