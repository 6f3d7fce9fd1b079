package io.igw.simulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The b2b-saas shape on one pod, closed loop: {@code concurrency} clients, each sending its next
 * request when the last one ends; 19 tenants (150 over 8 pods) with 6,000-token system prompts,
 * 1,200-token questions, 1,000 tokens out. The rate is measured over the steady part of the run
 * (the first and last quarter of requests left out).
 */
final class B2bSaasOnOnePod {

  static final int TENANTS = 19;

  private B2bSaasOnOnePod() {}

  static double outputTokensPerSecond(EngineConfig config, int concurrency) {
    VirtualTimeEngine engine = new VirtualTimeEngine(config, true);
    List<int[]> systemPrompts = new ArrayList<>();
    for (int g = 0; g < TENANTS; g++) {
      systemPrompts.add(Prompts.ids(10_000 + g, 6000));
    }
    int total = concurrency * 4;
    int[] next = {0};
    List<RequestTrace> traces = new ArrayList<>();
    GenerationListener[] refill = new GenerationListener[1];
    refill[0] =
        new GenerationListener() {
          @Override
          public void onToken(int index) {}

          @Override
          public void onFinished(GenerationResult result) {
            if (next[0] < total) {
              traces.add(engine.submit(request(systemPrompts, next[0]++), engine.now(), refill[0]));
            }
          }
        };
    for (int i = 0; i < concurrency; i++) {
      traces.add(engine.submit(request(systemPrompts, next[0]++), 0, refill[0]));
    }
    engine.runUntilIdle();
    List<RequestTrace> steady = traces.subList(total / 4, total * 3 / 4);
    double start = steady.stream().mapToDouble(RequestTrace::firstTokenTime).min().orElseThrow();
    double end = steady.stream().mapToDouble(RequestTrace::finishTime).max().orElseThrow();
    long tokens = 0;
    for (RequestTrace trace : traces) {
      for (double t : trace.tokenTimes()) {
        if (t >= start && t <= end) {
          tokens++;
        }
      }
    }
    return tokens / (end - start);
  }

  private static GenerationRequest request(List<int[]> systemPrompts, int i) {
    return Prompts.request(
        Prompts.concat(systemPrompts.get(i % TENANTS), Prompts.ids(i, 1200)), 1000);
  }
}
