package io.igw.picker.kvcache;

/**
 * One change of an engine's prefix cache, decoded from vLLM's KV events. Block hashes are the
 * engine's (unsigned 64-bit values, or the last 8 bytes of a raw digest, held in a {@code long});
 * the index never interprets them beyond equality.
 */
public sealed interface KvEvent {

  /**
   * Blocks that became full and cached, in order.
   *
   * @param parentBlockHash the engine hash of the block before the first one; null at the start of
   *     a sequence
   * @param tokenIds the blocks' tokens ({@code blockHashes.length × blockSize} for full-attention
   *     groups)
   * @param loraName the adapter the blocks belong to, or null for the base model
   * @param medium where the blocks live ({@code GPU}, {@code CPU}), or null when not said
   */
  record BlockStored(
      long[] blockHashes,
      Long parentBlockHash,
      int[] tokenIds,
      int blockSize,
      String loraName,
      String medium)
      implements KvEvent {}

  /** Cached blocks the engine evicted. */
  record BlockRemoved(long[] blockHashes, String medium) implements KvEvent {}

  /** The engine reset its prefix cache. */
  record AllBlocksCleared() implements KvEvent {}
}
