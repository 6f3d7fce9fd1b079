package io.igw.picker.datastore;

import java.util.Set;

/**
 * What one scrape of a model server's {@code /metrics} said, engine names already mapped.
 * Immutable.
 *
 * @param waiting requests queued on the server
 * @param running requests being decoded
 * @param kvCacheUsage KV-cache use, 0..1
 * @param runningAdapters LoRA adapters the server is running now
 * @param waitingAdapters LoRA adapters requests are waiting for
 * @param maxLoraSlots adapters the server can hold at once (0 when unknown)
 * @param blockSizeTokens tokens per KV-cache block (0 when unknown)
 * @param numCacheBlocks KV-cache capacity in blocks (0 when unknown)
 * @param scrapedAtMillis clock time the answer arrived
 * @param badLines lines the parser skipped
 */
public record MetricsSnapshot(
    long waiting,
    long running,
    double kvCacheUsage,
    Set<String> runningAdapters,
    Set<String> waitingAdapters,
    int maxLoraSlots,
    int blockSizeTokens,
    long numCacheBlocks,
    long scrapedAtMillis,
    int badLines) {

  public MetricsSnapshot {
    runningAdapters = Set.copyOf(runningAdapters);
    waitingAdapters = Set.copyOf(waitingAdapters);
  }

  /** An empty snapshot: nothing queued, nothing known. */
  public static MetricsSnapshot empty(long atMillis) {
    return new MetricsSnapshot(0, 0, 0, Set.of(), Set.of(), 0, 0, 0, atMillis, 0);
  }

  public boolean hasAdapter(String adapter) {
    return runningAdapters.contains(adapter) || waitingAdapters.contains(adapter);
  }
}
