package io.igw.simulator.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Identities of a prompt's full KV-cache blocks, chained as vLLM's prefix cache chains them: block
 * i's hash covers the hash of block i − 1 (a fixed root for block 0), the block's {@code
 * block_size} token ids and its extra keys — here the LoRA adapter, which vLLM puts on every block
 * so that adapters never share blocks. A trailing partial block has no hash (vLLM caches full
 * blocks only). vLLM's own digest (sha256 of a pickle) is not reproduced; only the structure is,
 * which is what decides hits.
 */
public final class BlockHashes {

  private static final XXHash64 XXHASH = XXHashFactory.fastestJavaInstance().hash64();

  /** The root parent (vLLM's NONE_HASH), fixed as with a fixed PYTHONHASHSEED. */
  private static final long ROOT = XXHASH.hash(new byte[] {'i', 'g', 'w'}, 0, 3, 0);

  private BlockHashes() {}

  /** Hashes of the full blocks of {@code tokenIds}. */
  public static long[] of(String adapter, int[] tokenIds, int blockSize) {
    byte[] extra = adapter == null ? new byte[0] : adapter.getBytes(StandardCharsets.UTF_8);
    int count = tokenIds.length / blockSize;
    long[] hashes = new long[count];
    ByteBuffer block =
        ByteBuffer.allocate(8 + 4 * blockSize + extra.length).order(ByteOrder.LITTLE_ENDIAN);
    long parent = ROOT;
    for (int b = 0; b < count; b++) {
      block.clear();
      block.putLong(parent);
      for (int t = b * blockSize; t < (b + 1) * blockSize; t++) {
        block.putInt(tokenIds[t]);
      }
      block.put(extra);
      parent = XXHASH.hash(block.array(), 0, block.position(), 0);
      hashes[b] = parent == 0 ? 1 : parent;
    }
    return hashes;
  }
}
