package io.igw.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Full prompt blocks are reused by later requests on the same server until other traffic evicts
 * them.
 */
class PrefixCacheTest {

  private static final int[] SYSTEM_PROMPT = Prompts.ids(42, 4000);

  @Test
  void repeatedLongPrefixIsFasterOnTheSameServerOnly() {
    VirtualTimeEngine warm = new VirtualTimeEngine(EngineConfig.defaults());
    VirtualTimeEngine cold = new VirtualTimeEngine(EngineConfig.defaults());

    RequestTrace first =
        warm.submit(Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(1, 100)), 5), 0.0);
    warm.runUntilIdle();
    RequestTrace second =
        warm.submit(
            Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(2, 100)), 5), warm.now() + 1);
    warm.runUntilIdle();
    RequestTrace elsewhere =
        cold.submit(Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(2, 100)), 5), 0.0);
    cold.runUntilIdle();

    assertThat(first.cachedTokens()).isZero();
    assertThat(second.cachedTokens()).isEqualTo(4000);
    assertThat(elsewhere.cachedTokens()).isZero();
    assertThat(second.ttft()).isLessThan(first.ttft() / 5);
    assertThat(elsewhere.ttft()).isGreaterThan(second.ttft() * 5);
    EngineSnapshot snapshot = warm.snapshot();
    assertThat(snapshot.prefixCacheHits()).isEqualTo(4000);
    assertThat(snapshot.prefixCacheQueries())
        .isEqualTo(first.promptTokens() + second.promptTokens());
  }

  @Test
  void concurrentRequestsShareBlocksOnceTheFirstHasComputedThem() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());

    RequestTrace leader =
        engine.submit(Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(1, 50)), 50), 0.0);
    RequestTrace follower =
        engine.submit(Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(2, 50)), 50), 2.0);
    engine.runUntilIdle();

    assertThat(leader.cachedTokens()).isZero();
    assertThat(follower.cachedTokens()).isEqualTo(4000);
  }

  @Test
  void adapterRequestsDoNotShareTheBaseModelsBlocks() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());

    engine.submit(Prompts.request(SYSTEM_PROMPT, 5), 0.0);
    engine.runUntilIdle();
    RequestTrace adapter =
        engine.submit(Prompts.request("food-review-1", SYSTEM_PROMPT, 5), engine.now());
    engine.runUntilIdle();

    assertThat(adapter.cachedTokens()).isZero();
  }

  @Test
  void otherTrafficEvictsThePrefix() {
    EngineConfig small = EngineConfig.defaults().withNumGpuBlocks(1000);
    VirtualTimeEngine engine = new VirtualTimeEngine(small);
    engine.submit(Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(3, 16)), 5), 0.0);
    engine.runUntilIdle();

    RequestTrace soon =
        engine.submit(
            Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(4, 16)), 5), engine.now());
    engine.runUntilIdle();
    for (int i = 0; i < 10; i++) {
      engine.submit(Prompts.request(Prompts.ids(100 + i, 2000), 5), engine.now());
      engine.runUntilIdle();
    }
    RequestTrace later =
        engine.submit(
            Prompts.request(Prompts.concat(SYSTEM_PROMPT, Prompts.ids(6, 16)), 5), engine.now());
    engine.runUntilIdle();

    assertThat(soon.cachedTokens()).isEqualTo(4000);
    assertThat(later.cachedTokens()).isLessThan(4000);
    assertThat(engine.evictions()).isGreaterThan(0);
  }

  @Test
  void aFullyCachedPromptStillComputesItsLastBlock() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
    int[] prompt = Prompts.ids(5, 320);

    engine.submit(Prompts.request(prompt, 3), 0.0);
    engine.runUntilIdle();
    RequestTrace again = engine.submit(Prompts.request(prompt, 3), engine.now());
    engine.runUntilIdle();

    assertThat(again.cachedTokens()).isEqualTo(320 - 16);
  }

  @Test
  void disabledPrefixCachingNeverHits() {
    VirtualTimeEngine engine =
        new VirtualTimeEngine(EngineConfig.defaults().withPrefixCaching(false));

    engine.submit(Prompts.request(SYSTEM_PROMPT, 3), 0.0);
    engine.runUntilIdle();
    RequestTrace again = engine.submit(Prompts.request(SYSTEM_PROMPT, 3), engine.now());
    engine.runUntilIdle();

    assertThat(again.cachedTokens()).isZero();
  }
}
