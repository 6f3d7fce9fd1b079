package io.igw.simulator.engine;

/**
 * The engine's limits and cost model. Everything but the KV-cache geometry ({@code blockSize},
 * {@code numGpuBlocks}) can change while the engine runs.
 *
 * @param maxNumSeqs most sequences in one step (vLLM --max-num-seqs)
 * @param maxNumBatchedTokens token budget of one step: decodes plus prefill chunks
 *     (--max-num-batched-tokens)
 * @param maxLoras distinct adapters in one step, and adapters resident on the GPU (--max-loras)
 * @param prefixCaching whether full prompt blocks are reused across requests
 */
public record EngineConfig(
    EngineProfile profile,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int maxLoras,
    int blockSize,
    int numGpuBlocks,
    boolean prefixCaching) {

  public EngineConfig {
    if (maxNumSeqs < 1
        || maxNumBatchedTokens < 1
        || maxLoras < 1
        || blockSize < 1
        || numGpuBlocks < 1) {
      throw new IllegalArgumentException(
          "engine limits must be positive: "
              + maxNumSeqs
              + ", "
              + maxNumBatchedTokens
              + ", "
              + maxLoras
              + ", "
              + blockSize
              + ", "
              + numGpuBlocks);
    }
  }

  /**
   * The default profile with vLLM's default limits on its GPU (max-num-seqs from the profile, 8192
   * tokens a step).
   */
  public static EngineConfig defaults() {
    return of(EngineProfile.LLAMA_8B_H100);
  }

  public static EngineConfig of(EngineProfile profile) {
    return new EngineConfig(
        profile, profile.maxNumSeqs(), 8192, 1, 16, profile.numGpuBlocks(), true);
  }

  public EngineConfig withProfile(EngineProfile value) {
    return new EngineConfig(
        value, maxNumSeqs, maxNumBatchedTokens, maxLoras, blockSize, numGpuBlocks, prefixCaching);
  }

  public EngineConfig withMaxNumSeqs(int value) {
    return new EngineConfig(
        profile, value, maxNumBatchedTokens, maxLoras, blockSize, numGpuBlocks, prefixCaching);
  }

  public EngineConfig withMaxNumBatchedTokens(int value) {
    return new EngineConfig(
        profile, maxNumSeqs, value, maxLoras, blockSize, numGpuBlocks, prefixCaching);
  }

  public EngineConfig withMaxLoras(int value) {
    return new EngineConfig(
        profile, maxNumSeqs, maxNumBatchedTokens, value, blockSize, numGpuBlocks, prefixCaching);
  }

  public EngineConfig withNumGpuBlocks(int value) {
    return new EngineConfig(
        profile, maxNumSeqs, maxNumBatchedTokens, maxLoras, blockSize, value, prefixCaching);
  }

  public EngineConfig withBlockSize(int value) {
    return new EngineConfig(
        profile, maxNumSeqs, maxNumBatchedTokens, maxLoras, value, numGpuBlocks, prefixCaching);
  }

  public EngineConfig withPrefixCaching(boolean value) {
    return new EngineConfig(
        profile, maxNumSeqs, maxNumBatchedTokens, maxLoras, blockSize, numGpuBlocks, value);
  }

  public int blocksFor(int tokens) {
    return (tokens + blockSize - 1) / blockSize;
  }
}
