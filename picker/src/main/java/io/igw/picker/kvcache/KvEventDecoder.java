package io.igw.picker.kvcache;

import io.igw.api.log.EventLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads the msgpack payload of one KV event message as vLLM's msgspec writes it: the batch a
 * positional array {@code [ts, events, data_parallel_rank]} (two elements from older engines, more
 * are ignored), each event either a positional array {@code ["BlockStored", block_hashes,
 * parent_block_hash, token_ids, block_size, lora_id, medium, lora_name, …]} (fields appended over
 * releases: shorter and longer arrays are read) or a map with a {@code "type"} key (unknown keys
 * ignored). Block hashes are ints (uint64 above 2^63) or raw digests (their last 8 bytes).
 *
 * <p>A payload that is not a batch is a {@link KvEventDecodeException}; an event that cannot be
 * read is skipped and counted in {@link KvEventBatch#skippedEvents()}. Array and map sizes are
 * checked against the bytes left before anything is allocated, so a forged header cannot claim more
 * memory than the payload's own size.
 */
public final class KvEventDecoder {
  static final String BLOCK_STORED = "BlockStored";
  static final String BLOCK_REMOVED = "BlockRemoved";
  static final String ALL_BLOCKS_CLEARED = "AllBlocksCleared";
  private static final String[] STORED_FIELDS = {
    "block_hashes", "parent_block_hash", "token_ids", "block_size", "lora_id", "medium", "lora_name"
  };
  private static final String[] REMOVED_FIELDS = {"block_hashes", "medium"};

  private KvEventDecoder() {}

  public static KvEventBatch decode(byte[] payload) throws KvEventDecodeException {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(payload)) {
      return new Reader(in, payload.length).batch();
    } catch (MessagePackException | IOException e) {
      throw new KvEventDecodeException("not a KV event batch: " + EventLine.describe(e), e);
    }
  }

  /** One payload's reading state. */
  private static final class Reader {
    private final MessageUnpacker in;
    private final long length;

    Reader(MessageUnpacker in, long length) {
      this.in = in;
      this.length = length;
    }

    KvEventBatch batch() throws IOException, KvEventDecodeException {
      if (type() != ValueType.ARRAY) {
        throw new KvEventDecodeException("a batch is an array, not " + type());
      }
      int fields = elements(in.unpackArrayHeader(), 1);
      if (fields < 2) {
        throw new KvEventDecodeException(
            "a batch has at least [ts, events], not " + fields + " elements");
      }
      double timestamp = timestamp();
      if (type() != ValueType.ARRAY) {
        throw new KvEventDecodeException("a batch's events are an array, not " + type());
      }
      int count = elements(in.unpackArrayHeader(), 1);
      List<KvEvent> events = new ArrayList<>(Math.min(count, 256));
      int skipped = 0;
      for (int i = 0; i < count; i++) {
        KvEvent event = event();
        if (event == null) {
          skipped++;
        } else {
          events.add(event);
        }
      }
      int rank = KvEventBatch.NO_RANK;
      if (fields >= 3) {
        long value = integer();
        rank = value >= 0 && value <= Integer.MAX_VALUE ? (int) value : KvEventBatch.NO_RANK;
      }
      for (int i = 3; i < fields; i++) {
        in.skipValue();
      }
      if (in.hasNext()) {
        throw new KvEventDecodeException("bytes after the batch");
      }
      return new KvEventBatch(timestamp, events, rank, skipped);
    }

    private double timestamp() throws IOException, KvEventDecodeException {
      ValueType type = type();
      if (type == ValueType.FLOAT) {
        return in.unpackDouble();
      }
      if (type == ValueType.INTEGER && in.getNextFormat() != MessageFormat.UINT64) {
        return in.unpackLong();
      }
      throw new KvEventDecodeException("a batch's ts is a number, not " + type);
    }

    /**
     * An event, or null (skipped) when it is not one this reader knows or a known field has the
     * wrong type.
     */
    private KvEvent event() throws IOException, KvEventDecodeException {
      ValueType type = type();
      if (type == ValueType.ARRAY) {
        return positionalEvent(elements(in.unpackArrayHeader(), 1));
      }
      if (type == ValueType.MAP) {
        return namedEvent(elements(in.unpackMapHeader(), 2));
      }
      in.skipValue();
      return null;
    }

    private KvEvent positionalEvent(int size) throws IOException, KvEventDecodeException {
      if (size == 0) {
        return null;
      }
      if (type() != ValueType.STRING) {
        skip(size);
        return null;
      }
      String tag = in.unpackString();
      String[] names =
          tag.equals(BLOCK_STORED)
              ? STORED_FIELDS
              : tag.equals(BLOCK_REMOVED) ? REMOVED_FIELDS : null;
      EventFields fields = new EventFields();
      for (int i = 1; i < size; i++) {
        if (names != null && i <= names.length) {
          read(fields, names[i - 1]);
        } else {
          in.skipValue();
        }
      }
      return fields.build(tag);
    }

    private KvEvent namedEvent(int size) throws IOException, KvEventDecodeException {
      EventFields fields = new EventFields();
      String tag = null;
      for (int i = 0; i < size; i++) {
        if (type() != ValueType.STRING) {
          skip(2);
          continue;
        }
        String key = in.unpackString();
        if (key.equals("type")) {
          tag = nullableString(fields);
        } else {
          read(fields, key);
        }
      }
      return tag == null ? null : fields.build(tag);
    }

    private void read(EventFields fields, String name) throws IOException, KvEventDecodeException {
      switch (name) {
        case "block_hashes" -> fields.blockHashes = hashes(fields);
        case "parent_block_hash" -> fields.parentBlockHash = nullableHash(fields);
        case "token_ids" -> fields.tokenIds = tokens(fields);
        case "block_size" -> fields.blockSize = positiveInt(fields);
        case "medium" -> fields.medium = nullableString(fields);
        case "lora_name" -> fields.loraName = nullableString(fields);
        default -> in.skipValue();
      }
    }

    private long[] hashes(EventFields fields) throws IOException, KvEventDecodeException {
      if (type() != ValueType.ARRAY) {
        return fields.wrongType();
      }
      int count = elements(in.unpackArrayHeader(), 1);
      long[] hashes = new long[count];
      for (int i = 0; i < count; i++) {
        Long hash = hash();
        if (hash == null) {
          fields.wrongType();
        } else {
          hashes[i] = hash;
        }
      }
      return hashes;
    }

    private Long nullableHash(EventFields fields) throws IOException, KvEventDecodeException {
      if (type() == ValueType.NIL) {
        in.unpackNil();
        return null;
      }
      Long hash = hash();
      return hash == null ? fields.wrongType() : hash;
    }

    /**
     * A block hash: an integer (its 64 bits), or a raw digest's last 8 bytes big-endian; null when
     * neither.
     */
    private Long hash() throws IOException, KvEventDecodeException {
      ValueType type = type();
      if (type == ValueType.INTEGER) {
        return in.getNextFormat() == MessageFormat.UINT64
            ? in.unpackBigInteger().longValue()
            : in.unpackLong();
      }
      if (type == ValueType.BINARY) {
        byte[] digest = in.readPayload(elements(in.unpackBinaryHeader(), 1));
        long value = 0;
        for (int i = Math.max(0, digest.length - Long.BYTES); i < digest.length; i++) {
          value = (value << 8) | (digest[i] & 0xFF);
        }
        return value;
      }
      in.skipValue();
      return null;
    }

    private int[] tokens(EventFields fields) throws IOException, KvEventDecodeException {
      if (type() != ValueType.ARRAY) {
        return fields.wrongType();
      }
      int count = elements(in.unpackArrayHeader(), 1);
      int[] tokens = new int[count];
      for (int i = 0; i < count; i++) {
        long token = integer();
        if (token < 0 || token > Integer.MAX_VALUE) {
          fields.wrongType();
        }
        tokens[i] = (int) token;
      }
      return tokens;
    }

    private int positiveInt(EventFields fields) throws IOException {
      long value = integer();
      if (value > 0 && value <= Integer.MAX_VALUE) {
        return (int) value;
      }
      fields.wrongType();
      return 0;
    }

    private String nullableString(EventFields fields) throws IOException {
      ValueType type = type();
      if (type == ValueType.NIL) {
        in.unpackNil();
        return null;
      }
      if (type == ValueType.STRING) {
        return in.unpackString();
      }
      in.skipValue();
      return fields.wrongType();
    }

    /** A signed 64-bit integer, or -1 for anything else (which is consumed). */
    private long integer() throws IOException {
      if (type() == ValueType.INTEGER && in.getNextFormat() != MessageFormat.UINT64) {
        return in.unpackLong();
      }
      in.skipValue();
      return -1;
    }

    private ValueType type() throws IOException {
      return in.getNextFormat().getValueType();
    }

    private void skip(int values) throws IOException {
      for (int i = 0; i < values; i++) {
        in.skipValue();
      }
    }

    /**
     * A header's count, refused when its values could not fit in the bytes left ({@code minBytes}
     * each at least).
     */
    private int elements(long count, int minBytes) throws KvEventDecodeException {
      long left = length - in.getTotalReadBytes();
      if (count < 0 || count * minBytes > left) {
        throw new KvEventDecodeException(
            "a header claims " + count + " values in " + left + " bytes");
      }
      return (int) count;
    }
  }

  /**
   * The fields of one event as they are read; any known field of the wrong type makes the event
   * unreadable.
   */
  private static final class EventFields {
    long[] blockHashes;
    Long parentBlockHash;
    int[] tokenIds;
    int blockSize;
    String medium;
    String loraName;
    boolean wrongType;

    <T> T wrongType() {
      wrongType = true;
      return null;
    }

    KvEvent build(String tag) {
      if (wrongType) {
        return null;
      }
      return switch (tag) {
        case BLOCK_STORED ->
            blockHashes == null || tokenIds == null || blockSize <= 0
                ? null
                : new KvEvent.BlockStored(
                    blockHashes, parentBlockHash, tokenIds, blockSize, loraName, medium);
        case BLOCK_REMOVED ->
            blockHashes == null ? null : new KvEvent.BlockRemoved(blockHashes, medium);
        case ALL_BLOCKS_CLEARED -> new KvEvent.AllBlocksCleared();
        default -> null;
      };
    }
  }
}
