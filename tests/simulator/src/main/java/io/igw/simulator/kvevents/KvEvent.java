package io.igw.simulator.kvevents;

/**
 * One change of an engine's prefix cache, as vLLM's {@code vllm.distributed.kv_events} describes
 * it. Block hashes are the engine's own (unsigned 64-bit values held in a {@code long}).
 */
public sealed interface KvEvent {

  /** vLLM's medium of blocks in GPU memory. */
  String MEDIUM_GPU = "GPU";

  /**
   * Blocks that became full and cached, in prompt order.
   *
   * @param parentBlockHash the hash of the block before the first one, or null at the start of a
   *     sequence
   * @param tokenIds the blocks' tokens, {@code blockHashes.length × blockSize} of them
   * @param loraId the adapter's id, or null for the base model
   * @param loraName the adapter's name, or null for the base model
   */
  record BlockStored(
      long[] blockHashes,
      Long parentBlockHash,
      int[] tokenIds,
      int blockSize,
      Integer loraId,
      String loraName,
      String medium)
      implements KvEvent {}

  /** Cached blocks evicted to make room (vLLM sends one event per evicted block). */
  record BlockRemoved(long[] blockHashes, String medium) implements KvEvent {}

  /** The prefix cache was reset: every cached block is gone. */
  record AllBlocksCleared() implements KvEvent {}
}
