package io.igw.picker.kvcache;

import java.util.List;

/**
 * One decoded batch (vLLM's {@code KVEventBatch}).
 *
 * @param timestamp the engine's clock when it published the batch, in seconds (Unix time on a live
 *     engine)
 * @param dataParallelRank the engine's rank, or -1 when the batch does not say
 * @param skippedEvents events in the batch that could not be read (unknown type, wrong field types)
 *     and are left out
 */
public record KvEventBatch(
    double timestamp, List<KvEvent> events, int dataParallelRank, int skippedEvents) {
  public static final int NO_RANK = -1;

  public KvEventBatch {
    events = List.copyOf(events);
  }

  public KvEventBatch(double timestamp, List<KvEvent> events) {
    this(timestamp, events, NO_RANK, 0);
  }
}
