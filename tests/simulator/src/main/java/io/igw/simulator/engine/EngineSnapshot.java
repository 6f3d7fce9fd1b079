package io.igw.simulator.engine;

import java.util.List;

/**
 * The engine's state as its metrics endpoint reports it, taken at one instant.
 *
 * @param kvCacheUsage fraction of KV-cache blocks in use by requests, 0..1
 * @param runningAdapters adapters of running requests, in first-seen order
 * @param waitingAdapters adapters of waiting requests, in first-seen order
 * @param prefixCacheQueries prompt tokens looked up in the prefix cache, since start
 * @param prefixCacheHits of those, tokens found
 */
public record EngineSnapshot(
    int running,
    int waiting,
    double kvCacheUsage,
    List<String> runningAdapters,
    List<String> waitingAdapters,
    int maxLoras,
    int blockSize,
    int numGpuBlocks,
    long promptTokens,
    long generationTokens,
    long requestsFinished,
    long prefixCacheQueries,
    long prefixCacheHits,
    long preemptions,
    LatencyHistograms latencies) {}
