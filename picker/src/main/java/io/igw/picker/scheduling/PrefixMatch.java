package io.igw.picker.scheduling;

/**
 * What a prefix-cache plugin found for the endpoint a request was scheduled to: how many of the
 * prompt's prefix blocks that endpoint is believed to hold, and how many blocks the plugin's index
 * holds over all endpoints once the request is recorded. Reported through the {@link
 * SchedulingContext} so that plugins stay free of metrics.
 *
 * @param blockBytes prompt bytes per block (block size in tokens × the bytes-per-token estimate)
 */
public record PrefixMatch(
    TypedName plugin, int matchedBlocks, int totalBlocks, int blockBytes, long indexBlocks) {

  /**
   * Matched / total blocks: 1 when the whole prompt is believed cached there; 0 for an empty
   * prompt.
   */
  public double hitRatio() {
    return totalBlocks == 0 ? 0 : (double) matchedBlocks / totalBlocks;
  }

  /** Bytes of the matched blocks, counting a prompt's shorter last block as a whole one. */
  public long matchedBytes() {
    return (long) matchedBlocks * blockBytes;
  }
}
