package io.igw.simulator.engine;

import java.util.Arrays;

/**
 * A request inside the engine: how far its KV is computed, which blocks it holds, what it has
 * generated.
 */
final class Sequence {

  final GenerationRequest request;
  final GenerationListener listener;
  final RequestTrace trace;
  final long[] promptBlockHashes;
  int computedTokens;
  int generated;
  int[] blocks = new int[0];
  int blockCount;

  /** Blocks of this sequence already registered in the prefix cache. */
  int cachedBlockCount;

  boolean scheduledOnce;
  boolean aborted;
  boolean finished;

  Sequence(
      GenerationRequest request,
      GenerationListener listener,
      RequestTrace trace,
      long[] promptBlockHashes) {
    this.request = request;
    this.listener = listener;
    this.trace = trace;
    this.promptBlockHashes = promptBlockHashes;
  }

  String adapter() {
    return request.adapter();
  }

  int totalTokens() {
    return request.promptTokens() + generated;
  }

  int tokensToCompute() {
    return totalTokens() - computedTokens;
  }

  void addBlock(int block) {
    if (blockCount == blocks.length) {
      blocks = Arrays.copyOf(blocks, Math.max(8, blocks.length * 2));
    }
    blocks[blockCount++] = block;
  }

  void resetBlocks() {
    blockCount = 0;
    cachedBlockCount = 0;
  }
}
