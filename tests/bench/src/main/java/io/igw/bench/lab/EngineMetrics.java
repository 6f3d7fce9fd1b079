package io.igw.bench.lab;

import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.simulator.engine.EngineSnapshot;
import java.util.LinkedHashSet;

/**
 * The engine's state as the picker's collector maps a vLLM {@code /metrics} scrape: waiting, running, KV-cache use,
 * LoRA adapters ({@code vllm:lora_requests_info}) and cache geometry. Skips the Prometheus text round trip, which
 * the live benchmark exercises.
 */
final class EngineMetrics {
  private EngineMetrics() {}

  static MetricsSnapshot toSnapshot(EngineSnapshot s, long scrapedAtMillis) {
    return new MetricsSnapshot(s.waiting(), s.running(), s.kvCacheUsage(), new LinkedHashSet<>(s.runningAdapters()),
        new LinkedHashSet<>(s.waitingAdapters()), s.maxLoras(), s.blockSize(), s.numGpuBlocks(), scrapedAtMillis, 0);
  }
}
