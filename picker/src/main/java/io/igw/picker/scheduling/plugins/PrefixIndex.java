package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Approximate index of which server holds which prompt blocks: per server an LRU of block hashes (the blocks it
 * was sent), and for each hash the servers that hold it. Matching is greedy longest-prefix: a server's match
 * ends at its first missing block. Thread-safe (one lock; every operation is short).
 */
public final class PrefixIndex {
  private final Map<Long, List<ServerBlocks>> serversByHash = new HashMap<>();
  private final Map<String, ServerBlocks> servers = new HashMap<>();
  private final int defaultCapacity;
  private long stamp;

  public PrefixIndex(int defaultCapacity) {
    this.defaultCapacity = defaultCapacity;
  }

  /** Writes into {@code matched[i]} how many leading blocks candidate i holds. */
  public synchronized void match(List<EndpointState> candidates, long[] hashes, int[] matched, long nowMillis) {
    long current = ++stamp;
    int present = 0;
    for (int i = 0; i < candidates.size(); i++) {
      ServerBlocks server = servers.get(candidates.get(i).address());
      if (server != null) {
        server.stamp = current;
        server.slot = i;
        server.lastSeenMillis = nowMillis;
        present++;
      }
    }
    for (int block = 0; block < hashes.length && present > 0; block++) {
      List<ServerBlocks> holders = serversByHash.get(hashes[block]);
      if (holders == null) {
        return;
      }
      int alive = 0;
      for (ServerBlocks server : holders) {
        if (server.stamp == current && matched[server.slot] == block) {
          matched[server.slot] = block + 1;
          alive++;
        }
      }
      present = alive;
    }
  }

  /** Records that {@code address} now holds these blocks (most recent use). */
  public synchronized void add(String address, long[] hashes, int capacity, long nowMillis) {
    ServerBlocks server = servers.computeIfAbsent(address, a -> new ServerBlocks(a, defaultCapacity));
    server.lastSeenMillis = nowMillis;
    if (capacity > 0) {
      server.capacity = capacity;
    }
    for (long hash : hashes) {
      if (server.put(hash, Boolean.TRUE) == null) {
        serversByHash.computeIfAbsent(hash, h -> new ArrayList<>(2)).add(server);
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
        it.remove();
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

  private void unlink(Long hash, ServerBlocks server) {
    List<ServerBlocks> holders = serversByHash.get(hash);
    if (holders != null) {
      holders.remove(server);
      if (holders.isEmpty()) {
        serversByHash.remove(hash);
      }
    }
  }

  /** One server's blocks, least recently used first; evicting unlinks the hash. */
  private final class ServerBlocks extends LinkedHashMap<Long, Boolean> {
    final String address;
    int capacity;
    long stamp;
    int slot;
    long lastSeenMillis;

    ServerBlocks(String address, int capacity) {
      super(16, 0.75f, true);
      this.address = address;
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      if (size() > capacity) {
        unlink(eldest.getKey(), this);
        return true;
      }
      return false;
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
