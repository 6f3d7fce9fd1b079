package io.igw.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Throughput saturates at the batch and KV limits; metrics follow load; adapters and KV make
 * requests wait.
 */
class CapacityLimitsTest {

  /** Output tokens per simulated second with {@code concurrency} requests always in flight. */
  private static double throughput(EngineConfig config, int concurrency) {
    VirtualTimeEngine engine = new VirtualTimeEngine(config);
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      traces.add(engine.submit(Prompts.request(Prompts.ids(i, 100), 200), 0.0));
    }
    double end = engine.runUntilIdle();
    return traces.stream().mapToInt(RequestTrace::generatedTokens).sum() / end;
  }

  @Test
  void throughputSaturatesAtMaxNumSeqs() {
    EngineConfig config = EngineConfig.defaults().withMaxNumSeqs(64);

    double one = throughput(config, 1);
    double sixteen = throughput(config, 16);
    double sixtyFour = throughput(config, 64);
    double twoHundred = throughput(config, 256);

    assertThat(sixteen).isGreaterThan(one * 10);
    assertThat(sixtyFour).isGreaterThan(sixteen * 2);
    assertThat(twoHundred).isBetween(sixtyFour * 0.9, sixtyFour * 1.1);
  }

  @Test
  void throughputSaturatesAtKvCapacity() {
    // 100 blocks of 16 tokens hold about five 300-token sequences
    EngineConfig config = EngineConfig.defaults().withNumGpuBlocks(100);

    double four = throughput(config, 4);
    double sixteen = throughput(config, 16);
    double sixtyFour = throughput(config, 64);

    // without the KV limit 16 sequences would give nearly 4× what 4 give; past it, more clients add
    // nothing
    assertThat(sixteen).isLessThan(four * 2);
    assertThat(sixtyFour).isLessThan(sixteen * 1.15);
  }

  @Test
  void queueAndKvMetricsFollowTheLoad() {
    VirtualTimeEngine engine =
        new VirtualTimeEngine(EngineConfig.defaults().withMaxNumSeqs(8).withNumGpuBlocks(2000));
    assertThat(engine.snapshot().kvCacheUsage()).isZero();

    List<Double> usage = new ArrayList<>();
    for (int wave = 1; wave <= 3; wave++) {
      for (int i = 0; i < 4; i++) {
        engine.submit(Prompts.request(Prompts.ids(wave * 10 + i, 1000), 1000), engine.now());
      }
      engine.advanceTo(engine.now() + 1.0);
      EngineSnapshot snapshot = engine.snapshot();
      usage.add(snapshot.kvCacheUsage());
      assertThat(snapshot.running()).isEqualTo(Math.min(8, 4 * wave));
      assertThat(snapshot.waiting()).isEqualTo(Math.max(0, 4 * wave - 8));
    }
    assertThat(usage.get(1)).isGreaterThan(usage.get(0) * 1.5);
    engine.runUntilIdle();
    EngineSnapshot idle = engine.snapshot();
    assertThat(idle.running()).isZero();
    assertThat(idle.waiting()).isZero();
    assertThat(idle.kvCacheUsage()).isZero();
    assertThat(idle.requestsFinished()).isEqualTo(12);
    assertThat(idle.generationTokens()).isEqualTo(12_000);
    assertThat(idle.latencies().timeToFirstToken().count()).isEqualTo(12);
  }

  @Test
  void anAdapterBeyondMaxLorasWaitsWhileTheBaseModelDoesNot() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withMaxLoras(1));

    RequestTrace first =
        engine.submit(Prompts.request("food-review-1", Prompts.ids(1, 100), 300), 0.0);
    RequestTrace sameAdapter =
        engine.submit(Prompts.request("food-review-1", Prompts.ids(2, 100), 10), 0.1);
    RequestTrace otherAdapter =
        engine.submit(Prompts.request("sql-lora", Prompts.ids(3, 100), 10), 0.1);
    RequestTrace base = engine.submit(Prompts.request(Prompts.ids(4, 100), 10), 0.1);
    engine.advanceTo(0.5);

    EngineSnapshot snapshot = engine.snapshot();
    assertThat(snapshot.runningAdapters()).containsExactly("food-review-1");
    assertThat(snapshot.waitingAdapters()).containsExactly("sql-lora");
    assertThat(snapshot.maxLoras()).isEqualTo(1);
    engine.runUntilIdle();
    assertThat(sameAdapter.queueTime()).isLessThan(0.1);
    assertThat(base.queueTime()).isLessThan(0.1);
    assertThat(otherAdapter.firstScheduledTime()).isGreaterThanOrEqualTo(first.finishTime());
    assertThat(engine.loraLoads()).isEqualTo(2);
  }

  @Test
  void loadingAnAdapterCostsTime() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());

    RequestTrace cold =
        engine.submit(Prompts.request("food-review-1", Prompts.ids(1, 100), 2), 0.0);
    engine.runUntilIdle();
    RequestTrace warm =
        engine.submit(Prompts.request("food-review-1", Prompts.ids(2, 100), 2), engine.now());
    engine.runUntilIdle();

    assertThat(cold.ttft() - warm.ttft())
        .isCloseTo(0.025, org.assertj.core.api.Assertions.within(0.001));
  }

  @Test
  void fullKvCachePreemptsTheNewestSequenceAndEveryRequestStillFinishes() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withNumGpuBlocks(64));
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      traces.add(engine.submit(Prompts.request(Prompts.ids(i, 64), 300), 0.0));
    }
    engine.runUntilIdle();

    assertThat(engine.snapshot().preemptions()).isGreaterThan(0);
    assertThat(traces).allMatch(RequestTrace::finished).allMatch(t -> t.generatedTokens() == 300);
    assertThat(traces.get(0).preemptions()).isZero();
    assertThat(traces.get(5).preemptions()).isGreaterThan(0);
    assertThat(engine.snapshot().kvCacheUsage()).isZero();
  }

  @Test
  void aRequestLongerThanTheCacheIsRefused() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withNumGpuBlocks(10));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.submit(Prompts.request(Prompts.ids(1, 150), 20), 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximum context length is 160");
  }

  @Test
  void cancellingFreesTheSlotAndBlocks() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withMaxNumSeqs(1));

    RequestTrace held = engine.submit(Prompts.request(Prompts.ids(1, 500), 5000), 0.0);
    RequestTrace next = engine.submit(Prompts.request(Prompts.ids(2, 500), 5), 0.0);
    engine.advanceTo(1.0);
    held.cancel();
    engine.runUntilIdle();

    assertThat(held.cancelled()).isTrue();
    assertThat(next.finished()).isTrue();
    assertThat(next.firstScheduledTime()).isGreaterThanOrEqualTo(1.0);
    assertThat(engine.snapshot().kvCacheUsage()).isZero();
  }
}
