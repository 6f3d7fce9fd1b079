package io.igw.simulator.kvevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/** Batches in vLLM's msgpack, byte for byte where the shape is fixed. */
class KvEventBatchEncoderTest {

  private static final long HIGH_HASH = 0x8000_0000_0000_0005L;

  private static KvEventBatch storedBatch(String lora) {
    return new KvEventBatch(
        1.5,
        List.of(
            new KvEvent.BlockStored(
                new long[] {HIGH_HASH},
                null,
                new int[] {1, 2},
                2,
                lora == null ? null : 3,
                lora,
                "GPU")),
        0);
  }

  @Test
  void arrayFormIsTheTagThenTheFieldsInOrderWithTrailingDefaultsLeftOut() {
    byte[] bytes = new KvEventBatchEncoder(KvEventEncoding.ARRAY).encode(storedBatch(null));

    String expected =
        "93"
            + "cb3ff8000000000000"
            + "91"
            + "97"
            + "ab"
            + hex("BlockStored")
            + "91"
            + "cf8000000000000005"
            + "c0"
            + "920102"
            + "02"
            + "c0"
            + "a3"
            + hex("GPU")
            + "00";
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
  }

  @Test
  void arrayFormAppendsTheLoraNameWhenThereIsOne() throws Exception {
    byte[] bytes = new KvEventBatchEncoder(KvEventEncoding.ARRAY).encode(storedBatch("sql-lora"));

    List<Value> event = firstEvent(bytes).asArrayValue().list();
    assertThat(event).hasSize(8);
    assertThat(event.get(5).asIntegerValue().asInt()).isEqualTo(3);
    assertThat(event.get(7).asStringValue().asString()).isEqualTo("sql-lora");
  }

  @Test
  void removedAndClearedArrays() throws Exception {
    KvEventBatch batch =
        new KvEventBatch(
            2.0,
            List.of(
                new KvEvent.BlockRemoved(new long[] {7}, "GPU"), new KvEvent.AllBlocksCleared()),
            0);

    byte[] bytes = new KvEventBatchEncoder(KvEventEncoding.ARRAY).encode(batch);

    String expected =
        "93"
            + "cb4000000000000000"
            + "92"
            + "93"
            + "ac"
            + hex("BlockRemoved")
            + "9107"
            + "a3"
            + hex("GPU")
            + "91"
            + "b0"
            + hex("AllBlocksCleared")
            + "00";
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
  }

  @Test
  void mapFormNamesEveryFieldAsVllmsNewerStructs() throws Exception {
    byte[] bytes = new KvEventBatchEncoder(KvEventEncoding.MAP).encode(storedBatch(null));

    Map<String, Value> event =
        firstEvent(bytes).asMapValue().map().entrySet().stream()
            .collect(
                Collectors.toMap(e -> e.getKey().asStringValue().asString(), Map.Entry::getValue));
    assertThat(event.keySet())
        .containsExactlyInAnyOrder(
            "type",
            "block_hashes",
            "parent_block_hash",
            "token_ids",
            "block_size",
            "lora_id",
            "medium",
            "lora_name",
            "extra_keys",
            "group_idx",
            "kv_cache_spec_kind");
    assertThat(event.get("type").asStringValue().asString()).isEqualTo("BlockStored");
    assertThat(event.get("block_hashes").asArrayValue().get(0).asIntegerValue().asBigInteger())
        .isEqualTo(new BigInteger(Long.toUnsignedString(HIGH_HASH)));
    assertThat(event.get("parent_block_hash").isNilValue()).isTrue();
    assertThat(event.get("extra_keys").asArrayValue().list())
        .hasSize(1)
        .allMatch(Value::isNilValue);
    assertThat(event.get("kv_cache_spec_kind").asStringValue().asString())
        .isEqualTo("full_attention");
  }

  @Test
  void hashesOfTwoToTheSixtyThreeOrMoreAreUint64AndSmallerOnesTheShortestInt() throws Exception {
    KvEventBatch batch =
        new KvEventBatch(
            0, List.of(new KvEvent.BlockRemoved(new long[] {-1L, 300, Long.MAX_VALUE}, null)), 0);

    byte[] bytes = new KvEventBatchEncoder(KvEventEncoding.ARRAY).encode(batch);

    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      unpacker.unpackArrayHeader();
      unpacker.unpackDouble();
      unpacker.unpackArrayHeader();
      unpacker.unpackArrayHeader();
      unpacker.unpackString();
      assertThat(unpacker.unpackArrayHeader()).isEqualTo(3);
      assertThat(unpacker.getNextFormat()).isEqualTo(MessageFormat.UINT64);
      assertThat(unpacker.unpackBigInteger()).isEqualTo(new BigInteger("18446744073709551615"));
      assertThat(unpacker.getNextFormat()).isEqualTo(MessageFormat.UINT16);
      unpacker.skipValue();
      assertThat(unpacker.getNextFormat()).isEqualTo(MessageFormat.UINT64);
    }
  }

  static Value firstEvent(byte[] bytes) throws Exception {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      return unpacker.unpackValue().asArrayValue().get(1).asArrayValue().get(0);
    }
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
