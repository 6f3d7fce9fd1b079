package io.igw.simulator.kvevents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Writes a batch as vLLM's msgspec encoder does: the batch a positional array {@code [ts, events,
 * dp_rank]}; each event an array (tag first, then the fields in declaration order, trailing fields
 * at their default left out, as msgspec's {@code omit_defaults} does) or a map (every field by
 * name, {@code "type"} the tag). Block hashes are unsigned 64-bit integers, so a value of 2^63 or
 * more is a msgpack uint64.
 */
public final class KvEventBatchEncoder {

  static final String FULL_ATTENTION = "full_attention";

  private final KvEventEncoding encoding;

  public KvEventBatchEncoder(KvEventEncoding encoding) {
    this.encoding = encoding;
  }

  public byte[] encode(KvEventBatch batch) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(3);
      packer.packDouble(batch.timestamp());
      packer.packArrayHeader(batch.events().size());
      for (KvEvent event : batch.events()) {
        if (encoding == KvEventEncoding.MAP) {
          packMap(packer, event);
        } else {
          packArray(packer, event);
        }
      }
      packer.packInt(batch.dataParallelRank());
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("msgpack into memory cannot fail", e);
    }
  }

  private static void packArray(MessagePacker packer, KvEvent event) throws IOException {
    if (event instanceof KvEvent.BlockStored stored) {
      packer.packArrayHeader(stored.loraName() == null ? 7 : 8);
      packer.packString("BlockStored");
      packHashes(packer, stored.blockHashes());
      packNullableHash(packer, stored.parentBlockHash());
      packTokens(packer, stored.tokenIds());
      packer.packInt(stored.blockSize());
      packNullableInt(packer, stored.loraId());
      packNullableString(packer, stored.medium());
      if (stored.loraName() != null) {
        packer.packString(stored.loraName());
      }
    } else if (event instanceof KvEvent.BlockRemoved removed) {
      packer.packArrayHeader(3);
      packer.packString("BlockRemoved");
      packHashes(packer, removed.blockHashes());
      packNullableString(packer, removed.medium());
    } else {
      packer.packArrayHeader(1);
      packer.packString("AllBlocksCleared");
    }
  }

  private static void packMap(MessagePacker packer, KvEvent event) throws IOException {
    if (event instanceof KvEvent.BlockStored stored) {
      packer.packMapHeader(11);
      packer.packString("type").packString("BlockStored");
      packHashes(packer.packString("block_hashes"), stored.blockHashes());
      packNullableHash(packer.packString("parent_block_hash"), stored.parentBlockHash());
      packTokens(packer.packString("token_ids"), stored.tokenIds());
      packer.packString("block_size").packInt(stored.blockSize());
      packNullableInt(packer.packString("lora_id"), stored.loraId());
      packNullableString(packer.packString("medium"), stored.medium());
      packNullableString(packer.packString("lora_name"), stored.loraName());
      packExtraKeys(packer.packString("extra_keys"), stored);
      packer.packString("group_idx").packInt(0);
      packer.packString("kv_cache_spec_kind").packString(FULL_ATTENTION);
    } else if (event instanceof KvEvent.BlockRemoved removed) {
      packer.packMapHeader(4);
      packer.packString("type").packString("BlockRemoved");
      packHashes(packer.packString("block_hashes"), removed.blockHashes());
      packNullableString(packer.packString("medium"), removed.medium());
      packer.packString("group_idx").packInt(0);
    } else {
      packer.packMapHeader(1);
      packer.packString("type").packString("AllBlocksCleared");
    }
  }

  /** Per block, its extra keys: nil for the base model, the adapter's name for a LoRA block. */
  private static void packExtraKeys(MessagePacker packer, KvEvent.BlockStored stored)
      throws IOException {
    packer.packArrayHeader(stored.blockHashes().length);
    for (int i = 0; i < stored.blockHashes().length; i++) {
      if (stored.loraName() == null) {
        packer.packNil();
      } else {
        packer.packArrayHeader(1).packString(stored.loraName());
      }
    }
  }

  private static void packHashes(MessagePacker packer, long[] hashes) throws IOException {
    packer.packArrayHeader(hashes.length);
    for (long hash : hashes) {
      packUnsigned(packer, hash);
    }
  }

  private static void packUnsigned(MessagePacker packer, long value) throws IOException {
    if (value >= 0) {
      packer.packLong(value);
    } else {
      packer.packBigInteger(new BigInteger(Long.toUnsignedString(value)));
    }
  }

  private static void packNullableHash(MessagePacker packer, Long hash) throws IOException {
    if (hash == null) {
      packer.packNil();
    } else {
      packUnsigned(packer, hash);
    }
  }

  private static void packTokens(MessagePacker packer, int[] tokens) throws IOException {
    packer.packArrayHeader(tokens.length);
    for (int token : tokens) {
      packer.packInt(token);
    }
  }

  private static void packNullableInt(MessagePacker packer, Integer value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else {
      packer.packInt(value);
    }
  }

  private static void packNullableString(MessagePacker packer, String value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else {
      packer.packString(value);
    }
  }
}
