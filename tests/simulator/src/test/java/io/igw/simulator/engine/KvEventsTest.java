package io.igw.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.kvevents.KvEvent;
import io.igw.simulator.kvevents.KvEventBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's KV-cache events on virtual time: what vLLM would publish when its prefix cache
 * changes.
 */
class KvEventsTest {

  private static final int BLOCK = 16;

  /** Batches as a subscriber hears them, with the virtual time each arrived. */
  private static final class Recorder {
    final List<KvEventBatch> batches = new ArrayList<>();
    final List<Double> arrivals = new ArrayList<>();

    List<KvEvent> events() {
      return batches.stream().flatMap(b -> b.events().stream()).toList();
    }

    <T extends KvEvent> List<T> events(Class<T> type) {
      return events().stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static Recorder listen(VirtualTimeEngine engine, double delayMillis) {
    Recorder recorder = new Recorder();
    engine.setKvEventListener(
        batch -> {
          recorder.batches.add(batch);
          recorder.arrivals.add(engine.now());
        },
        delayMillis);
    return recorder;
  }

  @Test
  void aPromptsFullBlocksAreStoredOnceWithTheirTokensAndChainedHashes() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    Recorder recorder = listen(engine, 0);
    int[] prompt = Prompts.ids(1, 4 * BLOCK + 5);

    engine.submit(Prompts.request(prompt, 3), 0.0);
    engine.runUntilIdle();

    List<KvEvent.BlockStored> stored = recorder.events(KvEvent.BlockStored.class);
    assertThat(stored).hasSize(1);
    KvEvent.BlockStored event = stored.get(0);
    assertThat(event.blockHashes()).containsExactly(BlockHashes.of(null, prompt, BLOCK));
    assertThat(event.parentBlockHash()).isNull();
    assertThat(event.tokenIds()).containsExactly(Arrays.copyOf(prompt, 4 * BLOCK));
    assertThat(event.blockSize()).isEqualTo(BLOCK);
    assertThat(event.medium()).isEqualTo("GPU");
    assertThat(event.loraName()).isNull();
    assertThat(event.loraId()).isNull();
    assertThat(recorder.events(KvEvent.BlockRemoved.class)).isEmpty();
  }

  @Test
  void aSharedPrefixIsNotStoredAgainAndTheNewBlocksNameTheirParent() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    Recorder recorder = listen(engine, 0);
    int[] shared = Prompts.ids(7, 3 * BLOCK);
    int[] second = Prompts.concat(shared, Prompts.ids(8, 2 * BLOCK + 1));

    engine.submit(Prompts.request(Prompts.concat(shared, Prompts.ids(9, 1)), 2), 0.0);
    engine.runUntilIdle();
    engine.submit(Prompts.request(second, 2), engine.now());
    engine.runUntilIdle();

    List<KvEvent.BlockStored> stored = recorder.events(KvEvent.BlockStored.class);
    assertThat(stored).hasSize(2);
    long[] hashes = BlockHashes.of(null, second, BLOCK);
    assertThat(stored.get(1).parentBlockHash()).isEqualTo(hashes[2]);
    assertThat(stored.get(1).blockHashes()).containsExactly(hashes[3], hashes[4]);
    assertThat(stored.get(1).tokenIds())
        .containsExactly(Arrays.copyOfRange(second, 3 * BLOCK, 5 * BLOCK));
  }

  @Test
  void adapterBlocksCarryTheAdaptersNameAndId() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    Recorder recorder = listen(engine, 0);

    engine.submit(Prompts.request("food-review-1", Prompts.ids(3, 2 * BLOCK), 2), 0.0);
    engine.runUntilIdle();

    KvEvent.BlockStored stored = recorder.events(KvEvent.BlockStored.class).get(0);
    assertThat(stored.loraName()).isEqualTo("food-review-1");
    assertThat(stored.loraId()).isEqualTo(1);
  }

  @Test
  void evictionsRemoveOnlyStoredBlocksAndTheHeldSetFitsTheCache() {
    int numBlocks = 64;
    VirtualTimeEngine engine =
        new VirtualTimeEngine(EngineConfig.defaults().withNumGpuBlocks(numBlocks));
    Recorder recorder = listen(engine, 0);

    for (int i = 0; i < 30; i++) {
      engine.submit(Prompts.request(Prompts.ids(100 + i % 12, 10 * BLOCK + 3), 4), engine.now());
      engine.runUntilIdle();
    }

    Set<Long> held = new HashSet<>();
    for (KvEvent event : recorder.events()) {
      if (event instanceof KvEvent.BlockStored stored) {
        if (stored.parentBlockHash() != null) {
          assertThat(held).contains(stored.parentBlockHash());
        }
        for (long hash : stored.blockHashes()) {
          assertThat(held.add(hash)).as("stored twice").isTrue();
        }
      } else if (event instanceof KvEvent.BlockRemoved removed) {
        assertThat(removed.blockHashes()).hasSize(1);
        assertThat(held.remove(removed.blockHashes()[0])).as("removed but not held").isTrue();
      }
    }
    assertThat(recorder.events(KvEvent.BlockRemoved.class))
        .hasSize((int) engine.evictions())
        .isNotEmpty();
    assertThat(held.size()).isLessThanOrEqualTo(numBlocks);
  }

  @Test
  void aResetClearsEverything() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    Recorder recorder = listen(engine, 0);
    engine.submit(Prompts.request(Prompts.ids(5, 2 * BLOCK), 2), 0.0);
    engine.runUntilIdle();

    engine.resetPrefixCache();

    assertThat(recorder.events().get(recorder.events().size() - 1))
        .isInstanceOf(KvEvent.AllBlocksCleared.class);
  }

  @Test
  void batchesArriveTheirDelayAfterTheStepThatMadeThem() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    Recorder recorder = listen(engine, 25);

    engine.submit(Prompts.request(Prompts.ids(11, 8 * BLOCK), 2), 0.0);
    engine.submit(Prompts.request(Prompts.ids(12, 8 * BLOCK), 2), 0.001);
    double idle = engine.runUntilIdle();

    assertThat(recorder.batches).isNotEmpty();
    for (int i = 0; i < recorder.batches.size(); i++) {
      assertThat(recorder.arrivals.get(i))
          .isCloseTo(
              recorder.batches.get(i).timestamp() + 0.025,
              org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(idle)
        .isCloseTo(
            recorder.batches.get(recorder.batches.size() - 1).timestamp() + 0.025,
            org.assertj.core.data.Offset.offset(1e-9));
    assertThat(engine.nextEventTime()).isInfinite();
  }

  @Test
  void withoutAListenerNothingIsRecorded() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    engine.submit(Prompts.request(Prompts.ids(5, 2 * BLOCK), 2), 0.0);

    engine.runUntilIdle();

    assertThat(engine.nextEventTime()).isInfinite();
  }
}
