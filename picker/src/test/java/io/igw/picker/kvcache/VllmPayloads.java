package io.igw.picker.kvcache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * KV event payloads shaped as vLLM's msgspec writes them, built field by field from the wire format
 * (see shared/reference/precise-prefix.md): the batch {@code [ts, events, dp_rank]}; events as
 * positional arrays (up to v0.23) or maps (since PR 42892). Hashes are packed as unsigned: 2^63 and
 * above as msgpack uint64.
 */
final class VllmPayloads {
  private VllmPayloads() {}

  /** Writes values into one msgpack payload. */
  interface Body {
    void write(MessagePacker packer) throws IOException;
  }

  static byte[] pack(Body body) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      body.write(packer);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A batch {@code [ts, [events...], rank]} whose events each {@code Body} writes. */
  static byte[] batch(double ts, Body... events) {
    return pack(
        p -> {
          p.packArrayHeader(3).packDouble(ts).packArrayHeader(events.length);
          for (Body event : events) {
            event.write(p);
          }
          p.packInt(0);
        });
  }

  static void unsigned(MessagePacker p, long value) throws IOException {
    if (value >= 0) {
      p.packLong(value);
    } else {
      p.packBigInteger(new BigInteger(Long.toUnsignedString(value)));
    }
  }

  static void hashes(MessagePacker p, long... hashes) throws IOException {
    p.packArrayHeader(hashes.length);
    for (long hash : hashes) {
      unsigned(p, hash);
    }
  }

  static void ints(MessagePacker p, int... values) throws IOException {
    p.packArrayHeader(values.length);
    for (int value : values) {
      p.packInt(value);
    }
  }

  static void parent(MessagePacker p, Long parent) throws IOException {
    if (parent == null) {
      p.packNil();
    } else {
      unsigned(p, parent);
    }
  }

  /**
   * v0.9-style positional BlockStored: tag, hashes, parent, tokens, block_size, lora_id, medium.
   */
  static Body storedArray(long[] hashes, Long parent, int[] tokens, int blockSize) {
    return p -> {
      p.packArrayHeader(7).packString("BlockStored");
      hashes(p, hashes);
      parent(p, parent);
      ints(p, tokens);
      p.packInt(blockSize).packNil().packString("GPU");
    };
  }

  /** The newest map BlockStored, every field named (the shape seen from v0.26.0). */
  static Body storedMap(long[] hashes, Long parent, int[] tokens, int blockSize, String lora) {
    return p -> {
      p.packMapHeader(11).packString("type").packString("BlockStored").packString("block_hashes");
      hashes(p, hashes);
      p.packString("parent_block_hash");
      parent(p, parent);
      p.packString("token_ids");
      ints(p, tokens);
      p.packString("block_size").packInt(blockSize).packString("lora_id");
      if (lora == null) {
        p.packNil();
      } else {
        p.packInt(1);
      }
      p.packString("medium").packString("GPU").packString("lora_name");
      if (lora == null) {
        p.packNil();
      } else {
        p.packString(lora);
      }
      p.packString("extra_keys").packArrayHeader(hashes.length);
      for (int i = 0; i < hashes.length; i++) {
        p.packNil();
      }
      p.packString("group_idx")
          .packInt(0)
          .packString("kv_cache_spec_kind")
          .packString("full_attention");
    };
  }

  static Body removedArray(long... hashes) {
    return p -> {
      p.packArrayHeader(3).packString("BlockRemoved");
      hashes(p, hashes);
      p.packString("GPU");
    };
  }

  static Body removedMap(long... hashes) {
    return p -> {
      p.packMapHeader(4).packString("type").packString("BlockRemoved").packString("block_hashes");
      hashes(p, hashes);
      p.packString("medium").packString("GPU").packString("group_idx").packInt(0);
    };
  }

  static Body clearedArray() {
    return p -> p.packArrayHeader(1).packString("AllBlocksCleared");
  }

  static Body clearedMap() {
    return p -> p.packMapHeader(1).packString("type").packString("AllBlocksCleared");
  }

  /** Token ids {@code from, from + 1, …} ({@code count} of them). */
  static int[] tokens(int from, int count) {
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = from + i;
    }
    return ids;
  }
}
