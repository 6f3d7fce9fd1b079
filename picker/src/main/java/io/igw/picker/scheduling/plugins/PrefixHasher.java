package io.igw.picker.scheduling.plugins;

import io.igw.picker.scheduling.PromptBytes;
import java.nio.charset.StandardCharsets;

/**
 * The prefix hash chain of the reference picker: h0 = xxHash64(model), h_i = xxHash64(block_i ‖
 * h_{i−1} as 8 little-endian bytes), blocks of {@code blockBytes} bytes of the prompt, a trailing
 * partial block included, at most {@code maxBlocks}. Equal prompt prefixes give equal leading
 * hashes; the model keeps models apart.
 */
public final class PrefixHasher {
  private static final long SEED = 0;

  private PrefixHasher() {}

  public static long[] blockHashes(
      String model, PromptBytes prompt, int blockBytes, int maxBlocks) {
    int blocks = Math.min(maxBlocks, (prompt.length() + blockBytes - 1) / blockBytes);
    long[] hashes = new long[blocks];
    if (blocks == 0) {
      return hashes;
    }
    byte[] modelBytes = model == null ? new byte[0] : model.getBytes(StandardCharsets.UTF_8);
    long previous = XxHash64.hash(modelBytes, 0, modelBytes.length, SEED);
    byte[] buffer = new byte[blockBytes + Long.BYTES];
    for (int i = 0; i < blocks; i++) {
      int offset = i * blockBytes;
      int length = Math.min(blockBytes, prompt.length() - offset);
      System.arraycopy(prompt.array(), prompt.offset() + offset, buffer, 0, length);
      for (int b = 0; b < Long.BYTES; b++) {
        buffer[length + b] = (byte) (previous >>> (8 * b));
      }
      previous = XxHash64.hash(buffer, 0, length + Long.BYTES, SEED);
      hashes[i] = previous;
    }
    return hashes;
  }
}
