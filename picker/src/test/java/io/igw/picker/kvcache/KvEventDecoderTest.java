package io.igw.picker.kvcache;

import static io.igw.picker.kvcache.VllmPayloads.batch;
import static io.igw.picker.kvcache.VllmPayloads.hashes;
import static io.igw.picker.kvcache.VllmPayloads.ints;
import static io.igw.picker.kvcache.VllmPayloads.pack;
import static io.igw.picker.kvcache.VllmPayloads.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** vLLM-shaped payloads of both generations, and what is not one. */
class KvEventDecoderTest {
  /** 2^63 + 5 and 2^64 − 1: msgpack uint64, which msgpack-java's unpackLong refuses. */
  private static final long HIGH = 0x8000_0000_0000_0005L;

  private static final long TOP = 0xFFFF_FFFF_FFFF_FFFFL;

  @Test
  void positionalBlockStoredWithUint64Hashes() throws Exception {
    byte[] payload =
        batch(1718.25, VllmPayloads.storedArray(new long[] {HIGH, 42}, TOP, tokens(1, 32), 16));

    KvEventBatch batch = KvEventDecoder.decode(payload);

    assertThat(batch.timestamp()).isEqualTo(1718.25);
    assertThat(batch.dataParallelRank()).isZero();
    assertThat(batch.skippedEvents()).isZero();
    KvEvent.BlockStored stored = (KvEvent.BlockStored) batch.events().get(0);
    assertThat(stored.blockHashes()).containsExactly(HIGH, 42);
    assertThat(stored.parentBlockHash()).isEqualTo(TOP);
    assertThat(stored.tokenIds()).containsExactly(tokens(1, 32));
    assertThat(stored.blockSize()).isEqualTo(16);
    assertThat(stored.medium()).isEqualTo("GPU");
    assertThat(stored.loraName()).isNull();
  }

  @Test
  void theGoldenBytesOfAPositionalBatchDecode() throws Exception {
    // [1.5, [["BlockStored", [2^63+5], nil, [1, 2], 2, nil, "GPU"]], 0], written out by hand
    byte[] payload =
        HexFormat.of()
            .parseHex(
                "93cb3ff80000000000009197ab426c6f636b53746f726564"
                    + "91cf8000000000000005c092010202c0a347505500");

    KvEvent.BlockStored stored =
        (KvEvent.BlockStored) KvEventDecoder.decode(payload).events().get(0);

    assertThat(stored.blockHashes()).containsExactly(HIGH);
    assertThat(stored.parentBlockHash()).isNull();
    assertThat(stored.tokenIds()).containsExactly(1, 2);
  }

  @Test
  void namedBlockStoredOfTheNewerEngines() throws Exception {
    byte[] payload =
        batch(2, VllmPayloads.storedMap(new long[] {HIGH}, null, tokens(100, 16), 16, "sql-lora"));

    KvEvent.BlockStored stored =
        (KvEvent.BlockStored) KvEventDecoder.decode(payload).events().get(0);

    assertThat(stored.blockHashes()).containsExactly(HIGH);
    assertThat(stored.parentBlockHash()).isNull();
    assertThat(stored.loraName()).isEqualTo("sql-lora");
    assertThat(stored.tokenIds()).hasSize(16);
  }

  @Test
  void removedAndClearedInBothForms() throws Exception {
    byte[] payload =
        batch(
            3,
            VllmPayloads.removedArray(HIGH, 7),
            VllmPayloads.removedMap(TOP),
            VllmPayloads.clearedArray(),
            VllmPayloads.clearedMap());

    List<KvEvent> events = KvEventDecoder.decode(payload).events();

    assertThat(((KvEvent.BlockRemoved) events.get(0)).blockHashes()).containsExactly(HIGH, 7);
    assertThat(((KvEvent.BlockRemoved) events.get(1)).blockHashes()).containsExactly(TOP);
    assertThat(events.get(2)).isInstanceOf(KvEvent.AllBlocksCleared.class);
    assertThat(events.get(3)).isInstanceOf(KvEvent.AllBlocksCleared.class);
  }

  @Test
  void longerArraysOfLaterReleasesAndShorterOnesOfEarlierReleases() throws Exception {
    byte[] payload =
        batch(
            0,
            // v0.23: 12 fields, then one a future release might append
            p -> {
              p.packArrayHeader(13).packString("BlockStored");
              hashes(p, 9);
              p.packNil();
              ints(p, tokens(0, 16));
              p.packInt(16)
                  .packNil()
                  .packString("GPU")
                  .packString("lora-a")
                  .packArrayHeader(1)
                  .packNil()
                  .packInt(0)
                  .packString("full_attention")
                  .packNil()
                  .packMapHeader(1)
                  .packString("new")
                  .packBoolean(true);
            },
            // the oldest: no lora_id or medium at all
            p -> {
              p.packArrayHeader(5).packString("BlockStored");
              hashes(p, 10);
              p.packLong(9);
              ints(p, tokens(16, 16));
              p.packInt(16);
            },
            p -> {
              p.packArrayHeader(2).packString("BlockRemoved");
              hashes(p, 10);
            });

    KvEventBatch batch = KvEventDecoder.decode(payload);

    assertThat(batch.skippedEvents()).isZero();
    assertThat(batch.events()).hasSize(3);
    assertThat(((KvEvent.BlockStored) batch.events().get(0)).loraName()).isEqualTo("lora-a");
    KvEvent.BlockStored oldest = (KvEvent.BlockStored) batch.events().get(1);
    assertThat(oldest.parentBlockHash()).isEqualTo(9);
    assertThat(oldest.medium()).isNull();
  }

  @Test
  void unknownMapKeysNilFieldsAndNonStringKeysAreIgnored() throws Exception {
    byte[] payload =
        batch(
            0,
            p -> {
              p.packMapHeader(8)
                  .packString("type")
                  .packString("BlockStored")
                  .packString("block_hashes");
              hashes(p, 5);
              p.packString("parent_block_hash").packNil().packString("token_ids");
              ints(p, tokens(0, 16));
              p.packString("block_size").packInt(16).packString("medium").packNil();
              p.packString("something_new").packArrayHeader(2).packString("x").packMapHeader(0);
              p.packInt(7).packString("an int key");
            });

    KvEventBatch batch = KvEventDecoder.decode(payload);

    assertThat(batch.skippedEvents()).isZero();
    KvEvent.BlockStored stored = (KvEvent.BlockStored) batch.events().get(0);
    assertThat(stored.blockHashes()).containsExactly(5);
    assertThat(stored.medium()).isNull();
  }

  @Test
  void rawDigestHashesAreTheirLastEightBytes() throws Exception {
    byte[] digest = new byte[32];
    digest[24] = (byte) 0x80;
    digest[31] = 0x05;
    byte[] payload =
        batch(
            0,
            p -> {
              p.packArrayHeader(3)
                  .packString("BlockRemoved")
                  .packArrayHeader(1)
                  .packBinaryHeader(32);
              p.writePayload(digest);
              p.packString("GPU");
            });

    KvEvent.BlockRemoved removed =
        (KvEvent.BlockRemoved) KvEventDecoder.decode(payload).events().get(0);

    assertThat(removed.blockHashes()).containsExactly(HIGH);
  }

  @Test
  void olderTwoElementBatchesAndANilRank() throws Exception {
    byte[] two =
        pack(
            p -> {
              p.packArrayHeader(2).packDouble(5).packArrayHeader(1);
              VllmPayloads.clearedArray().write(p);
            });
    byte[] nilRank = pack(p -> p.packArrayHeader(3).packLong(6).packArrayHeader(0).packNil());

    assertThat(KvEventDecoder.decode(two).events()).hasSize(1);
    assertThat(KvEventDecoder.decode(two).dataParallelRank()).isEqualTo(KvEventBatch.NO_RANK);
    assertThat(KvEventDecoder.decode(nilRank).timestamp()).isEqualTo(6);
    assertThat(KvEventDecoder.decode(nilRank).dataParallelRank()).isEqualTo(KvEventBatch.NO_RANK);
  }

  @Test
  void eventsThatCannotBeReadAreSkippedAndCountedTheRestKept() throws Exception {
    byte[] payload =
        batch(
            0,
            p -> p.packArrayHeader(2).packString("BlockTeleported").packInt(1),
            p -> p.packString("not an event"),
            p -> {
              p.packArrayHeader(5).packString("BlockStored");
              hashes(p, 1);
              p.packNil().packArrayHeader(1).packString("a token?").packInt(16);
            },
            p -> {
              p.packArrayHeader(4).packString("BlockStored");
              hashes(p, 1);
              p.packNil();
              ints(p, tokens(0, 16));
            },
            p -> p.packMapHeader(1).packString("block_hashes").packArrayHeader(0),
            p -> p.packArrayHeader(0),
            p -> p.packArrayHeader(2).packInt(3).packString("BlockRemoved"),
            VllmPayloads.removedArray(8));

    KvEventBatch batch = KvEventDecoder.decode(payload);

    assertThat(batch.skippedEvents()).isEqualTo(7);
    assertThat(batch.events()).singleElement().isInstanceOf(KvEvent.BlockRemoved.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "c0",
        "01",
        "a3414243",
        "90",
        "91cb3ff0000000000000",
        "92c0c0",
        "92cb3ff000000000000090c3",
        "dd7fffffff",
        "93cb3ff0000000000000dd7fffffff",
        "93cb3ff000000000000091dc7fff",
        "ff",
        "c1",
        "93cb3ff000000000000091",
        "93cb3ff0000000000000919791"
      })
  void garbageTruncationsAndImpossibleHeadersAreDecodeErrors(String hex) {
    byte[] payload = HexFormat.of().parseHex(hex);

    assertThatThrownBy(() -> KvEventDecoder.decode(payload))
        .isInstanceOf(KvEventDecodeException.class);
  }

  @Test
  void aBatchClaimingBillionsOfEventsAllocatesNothingForThem() {
    // events: array32 header of 2^31 − 1 elements, and nothing after
    byte[] payload = HexFormat.of().parseHex("93cb3ff0000000000000dd7fffffff00");

    assertThatThrownBy(() -> KvEventDecoder.decode(payload))
        .isInstanceOf(KvEventDecodeException.class)
        .hasMessageContaining("claims 2147483647");
  }
}
