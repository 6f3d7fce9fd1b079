package io.igw.simulator.engine;

import io.igw.simulator.kvevents.KvEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vLLM's scheduler and KV-cache manager (v1 engine, FCFS) without the GPU: it plans steps and
 * applies their results, on whatever clock its driver keeps. Each step first gives running
 * sequences their next tokens (one for a decode, the rest of a chunked prefill), preempting the
 * newest running sequence when blocks run out, then admits waiting sequences while the token
 * budget, {@code max-num-seqs}, {@code max-loras} and free blocks allow. Not thread-safe; listeners
 * are called from {@link #completeStep}. Once asked to, it also records vLLM's KV-cache events
 * (blocks cached, evicted, cleared) for its driver to take after each step.
 */
final class EngineCore {

  private EngineConfig config;
  private final KvBlockPool pool;
  private final LoraSlots loraSlots = new LoraSlots();
  private final Deque<Sequence> waiting = new ArrayDeque<>();
  private final List<Sequence> running = new ArrayList<>();
  private final LatencyHistograms latencies = new LatencyHistograms();
  private long promptTokens;
  private long generationTokens;
  private long requestsFinished;
  private long prefixCacheQueries;
  private long prefixCacheHits;
  private long preemptions;

  /** KV-cache events since the last take; null while nobody listens. */
  private List<KvEvent> kvEvents;

  /** vLLM's lora_int_id of each adapter, numbered from 1 in order of first use. */
  private final Map<String, Integer> loraIds = new HashMap<>();

  EngineCore(EngineConfig config) {
    this.config = config;
    this.pool = new KvBlockPool(config.numGpuBlocks());
  }

  EngineConfig config() {
    return config;
  }

  /** Takes new limits and costs from the next step on; the KV-cache geometry cannot change. */
  void reconfigure(EngineConfig next) {
    if (next.blockSize() != config.blockSize() || next.numGpuBlocks() != config.numGpuBlocks()) {
      throw new IllegalArgumentException(
          "block_size and num_gpu_blocks cannot change while running");
    }
    config = next;
  }

  /** Longest request (prompt + output) the KV cache can ever hold, in tokens. */
  int maxModelTokens() {
    return config.numGpuBlocks() * config.blockSize();
  }

  Sequence add(GenerationRequest request, GenerationListener listener, RequestTrace trace) {
    if (request.promptTokens() + request.outputTokens() > maxModelTokens()) {
      throw new IllegalArgumentException(
          "This model's maximum context length is "
              + maxModelTokens()
              + " tokens. However, you requested "
              + (request.promptTokens() + request.outputTokens())
              + " tokens ("
              + request.promptTokens()
              + " in the messages, "
              + request.outputTokens()
              + " in the completion).");
    }
    long[] hashes =
        config.prefixCaching()
            ? BlockHashes.of(request.adapter(), request.promptTokenIds(), config.blockSize())
            : new long[0];
    Sequence sequence = new Sequence(request, listener, trace, hashes);
    waiting.add(sequence);
    return sequence;
  }

  boolean hasWork() {
    return !running.isEmpty() || !waiting.isEmpty();
  }

  void abort(Sequence sequence) {
    if (sequence.aborted || sequence.finished) {
      return;
    }
    sequence.aborted = true;
    sequence.trace.cancelled = true;
    if (!waiting.remove(sequence) && running.remove(sequence)) {
      releaseBlocks(sequence);
    }
  }

  StepPlan planStep(double now) {
    StepPlan plan = new StepPlan();
    int budget = config.maxNumBatchedTokens();
    boolean preempted = false;
    int i = 0;
    while (i < running.size() && budget > 0) {
      Sequence sequence = running.get(i);
      int newTokens = Math.min(sequence.tokensToCompute(), budget);
      int needed = config.blocksFor(sequence.computedTokens + newTokens) - sequence.blockCount;
      boolean selfPreempted = false;
      while (pool.freeBlocks() < needed) {
        Sequence victim = running.remove(running.size() - 1);
        preempt(victim);
        preempted = true;
        if (victim == sequence) {
          selfPreempted = true;
          break;
        }
      }
      if (selfPreempted) {
        break;
      }
      allocate(sequence, needed);
      plan.add(sequence, newTokens);
      budget -= newTokens;
      i++;
    }
    if (!preempted) {
      budget = admitWaiting(plan, budget, now);
    }
    plan.loraLoads =
        loraSlots.makeResident(new LinkedHashSet<>(adaptersOf(plan.sequences)), config.maxLoras());
    plan.computeDuration(config.profile());
    return plan;
  }

  /** Applies a step that ended at {@code now}: advances KV, emits tokens, finishes sequences. */
  void completeStep(StepPlan plan, double now) {
    for (int k = 0; k < plan.sequences.size(); k++) {
      Sequence sequence = plan.sequences.get(k);
      if (sequence.aborted) {
        continue;
      }
      sequence.computedTokens += plan.tokens.get(k);
      cacheFullPromptBlocks(sequence);
      if (sequence.computedTokens == sequence.totalTokens()) {
        emitToken(sequence, now);
      }
    }
  }

  EngineSnapshot snapshot() {
    return new EngineSnapshot(
        running.size(),
        waiting.size(),
        pool.usedBlocks() / (double) pool.numBlocks(),
        adapterNames(running),
        adapterNames(waiting),
        config.maxLoras(),
        config.blockSize(),
        config.numGpuBlocks(),
        promptTokens,
        generationTokens,
        requestsFinished,
        prefixCacheQueries,
        prefixCacheHits,
        preemptions,
        latencies.copy());
  }

  long evictions() {
    return pool.evictions();
  }

  long loraLoads() {
    return loraSlots.loads();
  }

  void resetPrefixCache() {
    pool.clearCache();
    if (kvEvents != null) {
      kvEvents.add(new KvEvent.AllBlocksCleared());
    }
  }

  /** From now on, records KV-cache events. */
  void recordKvEvents() {
    if (kvEvents == null) {
      kvEvents = new ArrayList<>();
      pool.onEviction(
          hash -> kvEvents.add(new KvEvent.BlockRemoved(new long[] {hash}, KvEvent.MEDIUM_GPU)));
    }
  }

  /**
   * The events recorded since the last call, oldest first (empty when none or when not recording).
   */
  List<KvEvent> takeKvEvents() {
    if (kvEvents == null || kvEvents.isEmpty()) {
      return List.of();
    }
    List<KvEvent> taken = kvEvents;
    kvEvents = new ArrayList<>();
    return taken;
  }

  private int admitWaiting(StepPlan plan, int budget, double now) {
    Set<String> batchAdapters = new LinkedHashSet<>(adaptersOf(running));
    List<Sequence> skipped = new ArrayList<>();
    while (!waiting.isEmpty() && budget > 0 && running.size() < config.maxNumSeqs()) {
      Sequence sequence = waiting.peekFirst();
      String adapter = sequence.adapter();
      if (adapter != null
          && !batchAdapters.contains(adapter)
          && batchAdapters.size() >= config.maxLoras()) {
        skipped.add(waiting.pollFirst());
        continue;
      }
      int cachedBlocks =
          pool.cachedPrefixLength(
              sequence.promptBlockHashes, (sequence.totalTokens() - 1) / config.blockSize());
      int cachedTokens = cachedBlocks * config.blockSize();
      int newTokens = Math.min(sequence.totalTokens() - cachedTokens, budget);
      int needed = config.blocksFor(cachedTokens + newTokens) - cachedBlocks;
      int available =
          pool.freeBlocks() - pool.freeBlocksAmong(sequence.promptBlockHashes, cachedBlocks);
      if (available < needed) {
        break;
      }
      waiting.pollFirst();
      for (int block : pool.reference(sequence.promptBlockHashes, cachedBlocks)) {
        sequence.addBlock(block);
      }
      sequence.cachedBlockCount = cachedBlocks;
      sequence.computedTokens = cachedTokens;
      allocate(sequence, needed);
      recordAdmission(sequence, cachedTokens, now);
      running.add(sequence);
      if (adapter != null) {
        batchAdapters.add(adapter);
      }
      plan.add(sequence, newTokens);
      budget -= newTokens;
    }
    for (int k = skipped.size() - 1; k >= 0; k--) {
      waiting.addFirst(skipped.get(k));
    }
    return budget;
  }

  private void recordAdmission(Sequence sequence, int cachedTokens, double now) {
    prefixCacheQueries += sequence.totalTokens();
    prefixCacheHits += cachedTokens;
    if (!sequence.scheduledOnce) {
      sequence.scheduledOnce = true;
      sequence.trace.firstScheduledTime = now;
      sequence.trace.cachedTokens = cachedTokens;
      promptTokens += sequence.request.promptTokens();
      latencies.requestQueueTime().record(now - sequence.trace.arrivalTime());
    }
  }

  private void allocate(Sequence sequence, int blocks) {
    for (int b = 0; b < blocks; b++) {
      sequence.addBlock(pool.allocate());
    }
  }

  private void preempt(Sequence victim) {
    releaseBlocks(victim);
    victim.computedTokens = 0;
    victim.trace.preemptions++;
    preemptions++;
    waiting.addFirst(victim);
  }

  /** Frees a sequence's blocks last first, so that a prompt's tail is evicted before its head. */
  private void releaseBlocks(Sequence sequence) {
    for (int b = sequence.blockCount - 1; b >= 0; b--) {
      pool.release(sequence.blocks[b]);
    }
    sequence.resetBlocks();
  }

  private void cacheFullPromptBlocks(Sequence sequence) {
    int full =
        Math.min(sequence.promptBlockHashes.length, sequence.computedTokens / config.blockSize());
    int storedFrom = -1;
    for (int b = sequence.cachedBlockCount; b < full; b++) {
      boolean cached = pool.cache(sequence.blocks[b], sequence.promptBlockHashes[b]);
      if (cached && storedFrom < 0) {
        storedFrom = b;
      } else if (!cached && storedFrom >= 0) {
        recordStored(sequence, storedFrom, b);
        storedFrom = -1;
      }
    }
    if (storedFrom >= 0) {
      recordStored(sequence, storedFrom, full);
    }
    sequence.cachedBlockCount = Math.max(sequence.cachedBlockCount, full);
  }

  /**
   * One BlockStored for the newly cached blocks {@code [from, to)} of a sequence's prompt, as vLLM
   * sends it.
   */
  private void recordStored(Sequence sequence, int from, int to) {
    if (kvEvents == null) {
      return;
    }
    long[] hashes = sequence.promptBlockHashes;
    int size = config.blockSize();
    String adapter = sequence.adapter();
    Integer loraId =
        adapter == null ? null : loraIds.computeIfAbsent(adapter, a -> loraIds.size() + 1);
    kvEvents.add(
        new KvEvent.BlockStored(
            Arrays.copyOfRange(hashes, from, to),
            from == 0 ? null : hashes[from - 1],
            Arrays.copyOfRange(sequence.request.promptTokenIds(), from * size, to * size),
            size,
            loraId,
            adapter,
            KvEvent.MEDIUM_GPU));
  }

  private void emitToken(Sequence sequence, double now) {
    RequestTrace trace = sequence.trace;
    if (sequence.generated == 0) {
      latencies.timeToFirstToken().record(now - trace.arrivalTime());
    } else {
      latencies.interTokenLatency().record(now - trace.lastTokenTime);
    }
    int index = sequence.generated++;
    generationTokens++;
    trace.recordToken(now);
    boolean last = sequence.generated >= sequence.request.outputTokens();
    if (last) {
      sequence.finished = true;
      running.remove(sequence);
      releaseBlocks(sequence);
      trace.finishTime = now;
      requestsFinished++;
      latencies.e2eRequestLatency().record(now - trace.arrivalTime());
    }
    sequence.listener.onToken(index);
    if (last) {
      sequence.listener.onFinished(
          new GenerationResult(
              sequence.request.promptTokens(),
              sequence.generated,
              trace.cachedTokens,
              sequence.request.finishReason()));
    }
  }

  private static List<String> adaptersOf(List<Sequence> sequences) {
    List<String> adapters = new ArrayList<>();
    for (Sequence sequence : sequences) {
      if (sequence.adapter() != null) {
        adapters.add(sequence.adapter());
      }
    }
    return adapters;
  }

  private static List<String> adapterNames(Iterable<Sequence> sequences) {
    Set<String> names = new LinkedHashSet<>();
    for (Sequence sequence : sequences) {
      if (sequence.adapter() != null) {
        names.add(sequence.adapter());
      }
    }
    return List.copyOf(names);
  }
}
