package io.igw.simulator.kvevents;

import java.util.List;

/**
 * The events of one engine step, as vLLM's {@code KVEventBatch}.
 *
 * @param timestamp seconds: the Unix time of the step on the live server, virtual time in the lab
 * @param dataParallelRank the engine's data-parallel rank (0 without data parallelism)
 */
public record KvEventBatch(double timestamp, List<KvEvent> events, int dataParallelRank) {

  public KvEventBatch {
    events = List.copyOf(events);
  }

  public KvEventBatch withTimestamp(double value) {
    return new KvEventBatch(value, events, dataParallelRank);
  }
}
