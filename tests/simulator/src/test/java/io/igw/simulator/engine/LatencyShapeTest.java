package io.igw.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TTFT and ITL follow the profile at low load and grow with queue depth and prompt length. */
class LatencyShapeTest {

  @ParameterizedTest
  @CsvSource({"100", "1000", "4000"})
  void lonePrefillMatchesTheProfile(int promptTokens) {
    EngineProfile profile = EngineProfile.LLAMA_8B_H100;
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());

    RequestTrace trace =
        engine.submit(Prompts.request(Prompts.ids(promptTokens, promptTokens), 10), 0.0);
    engine.runUntilIdle();

    // one step prefills the whole prompt (under the 8192-token budget) and samples the first token
    assertThat(trace.ttft() * 1000)
        .isCloseTo(profile.lonePrefillMillis(promptTokens), within(0.01));
    double decodeMillis =
        profile.decodeStepMillis(1)
            + profile.perContextKiloTokenMillis() * (promptTokens + 5) / 1000;
    assertThat(trace.tpot() * 1000).isCloseTo(decodeMillis, within(0.05));
    assertThat(trace.generatedTokens()).isEqualTo(10);
  }

  @Test
  void ttftGrowsWithPromptLength() {
    double previous = 0;
    for (int tokens : new int[] {64, 512, 2048, 8000, 20000}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
      RequestTrace trace = engine.submit(Prompts.request(Prompts.ids(tokens, tokens), 2), 0.0);
      engine.runUntilIdle();
      assertThat(trace.ttft()).isGreaterThan(previous);
      previous = trace.ttft();
    }
  }

  @Test
  void ttftGrowsWithQueueDepth() {
    double previous = 0;
    for (int depth : new int[] {0, 4, 16, 64}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withMaxNumSeqs(16));
      for (int i = 0; i < depth; i++) {
        engine.submit(Prompts.request(Prompts.ids(1000 + i, 500), 200), 0.0);
      }
      RequestTrace probe = engine.submit(Prompts.request(Prompts.ids(7, 500), 10), 0.001);
      engine.runUntilIdle();
      assertThat(probe.ttft()).as("TTFT behind %d requests", depth).isGreaterThan(previous);
      previous = probe.ttft();
    }
  }

  @Test
  void itlGrowsWithBatchSize() {
    List<Double> tpots = new ArrayList<>();
    for (int batch : new int[] {1, 32, 128}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
      List<RequestTrace> traces = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        traces.add(engine.submit(Prompts.request(Prompts.ids(i, 200), 100), 0.0));
      }
      engine.runUntilIdle();
      tpots.add(traces.get(0).tpot());
    }
    assertThat(tpots).isSorted();
    assertThat(tpots.get(2)).isGreaterThan(tpots.get(0) * 1.5);
  }

  @Test
  void sameInputsGiveSameTraces() {
    double[] first = replay();
    double[] second = replay();

    assertThat(second).containsExactly(first);
  }

  private static double[] replay() {
    VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults().withMaxNumSeqs(8));
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      traces.add(
          engine.submit(Prompts.request(Prompts.ids(i % 5, 300 + i * 10), 20 + i), i * 0.05));
    }
    engine.runUntilIdle();
    return traces.stream().mapToDouble(RequestTrace::e2eLatency).toArray();
  }
}
