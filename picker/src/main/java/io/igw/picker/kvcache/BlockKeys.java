package io.igw.picker.kvcache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * igw's own identity of a prompt block, independent of the engine's hash: key_0's parent is the
 * root of the model ({@code xxHash64(model name)}); key_i = {@code xxHash64(key_{i−1} as 8
 * little-endian bytes ‖ the block's token ids as 4 little-endian bytes each)}, all seeded with the
 * same seed. The index computes these keys from each BlockStored's token ids; a scorer computes
 * them from the request's tokens with the same block size, seed and model name (the adapter's name
 * for a LoRA request), and equal prefixes give equal keys. Never 0. Thread-safe.
 */
public final class BlockKeys {
  public static final int DEFAULT_BLOCK_SIZE = 16;
  public static final long DEFAULT_SEED = 0;
  private static final XXHash64 XXHASH = XXHashFactory.fastestJavaInstance().hash64();

  private final int blockSize;
  private final long seed;

  public BlockKeys(int blockSize, long seed) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size must be positive: " + blockSize);
    }
    this.blockSize = blockSize;
    this.seed = seed;
  }

  /** Tokens per block. */
  public int blockSize() {
    return blockSize;
  }

  /** The parent of a sequence's first block for {@code model} (null is the empty name). */
  public long root(String model) {
    byte[] name = model == null ? new byte[0] : model.getBytes(StandardCharsets.UTF_8);
    return nonZero(XXHASH.hash(name, 0, name.length, seed));
  }

  /**
   * The key of the block of {@code tokens[from, from + blockSize)} after the block keyed {@code
   * parent}.
   */
  public long next(long parent, int[] tokens, int from) {
    return next(parent, tokens, from, newBuffer());
  }

  /** Keys of the full blocks of {@code tokenIds}, at most {@code maxBlocks}. */
  public long[] of(String model, int[] tokenIds, int maxBlocks) {
    int count = Math.min(maxBlocks, tokenIds.length / blockSize);
    long[] keys = new long[Math.max(0, count)];
    ByteBuffer buffer = newBuffer();
    long parent = root(model);
    for (int b = 0; b < keys.length; b++) {
      parent = next(parent, tokenIds, b * blockSize, buffer);
      keys[b] = parent;
    }
    return keys;
  }

  /** Keys of every full block of {@code tokenIds}. */
  public long[] of(String model, int[] tokenIds) {
    return of(model, tokenIds, Integer.MAX_VALUE);
  }

  ByteBuffer newBuffer() {
    return ByteBuffer.allocate(Long.BYTES + Integer.BYTES * blockSize)
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  long next(long parent, int[] tokens, int from, ByteBuffer buffer) {
    buffer.clear();
    buffer.putLong(parent);
    for (int t = from; t < from + blockSize; t++) {
      buffer.putInt(tokens[t]);
    }
    return nonZero(XXHASH.hash(buffer.array(), 0, buffer.position(), seed));
  }

  private static long nonZero(long hash) {
    return hash == 0 ? 1 : hash;
  }
}
