package io.igw.simulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the engine's curves for the README: {@code java -cp target/classes:target/test-classes:…
 * EngineCurves}.
 */
public final class EngineCurves {

  public static void main(String[] args) {
    EngineProfile profile =
        args.length > 0 ? EngineProfile.named(args[0]) : EngineProfile.LLAMA_8B_H100;
    EngineConfig config = EngineConfig.of(profile);
    System.out.println("profile " + profile.name());
    System.out.println("TTFT of a lone request vs prompt length");
    for (int tokens : new int[] {128, 512, 1024, 2048, 4096, 8192, 16384}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(config);
      RequestTrace t = engine.submit(Prompts.request(Prompts.ids(tokens, tokens), 2), 0);
      engine.runUntilIdle();
      System.out.printf("  prompt %6d  ttft %8.1f ms%n", tokens, t.ttft() * 1000);
    }
    System.out.println(
        "closed loop, prompt 512, output 256: concurrency -> ITL, output tok/s, mean TTFT, kv usage");
    for (int concurrency : new int[] {1, 8, 32, 64, 128, 256, 512}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(config);
      List<RequestTrace> traces = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        traces.add(engine.submit(Prompts.request(Prompts.ids(i, 512), 256), 0));
      }
      engine.advanceTo(3.0);
      double kv = engine.snapshot().kvCacheUsage();
      double end = engine.runUntilIdle();
      double tpot = traces.stream().mapToDouble(RequestTrace::tpot).average().orElse(0);
      double ttft = traces.stream().mapToDouble(RequestTrace::ttft).average().orElse(0);
      int tokens = traces.stream().mapToInt(RequestTrace::generatedTokens).sum();
      System.out.printf(
          "  c=%4d  tpot %6.1f ms  %7.0f tok/s  ttft %7.0f ms  kv@3s %.3f%n",
          concurrency, tpot * 1000, tokens / end, ttft * 1000, kv);
    }
    System.out.println(
        "b2b-saas shape on one pod (19 groups x 6000-token system prompt, 1200 question, 1000 out)");
    for (int concurrency : new int[] {32, 64, 128, 256}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(config);
      List<int[]> systemPrompts = new ArrayList<>();
      for (int g = 0; g < 19; g++) {
        systemPrompts.add(Prompts.ids(10_000 + g, 6000));
      }
      int[] next = {0};
      List<RequestTrace> traces = new ArrayList<>();
      GenerationListener[] refill = new GenerationListener[1];
      refill[0] =
          new GenerationListener() {
            @Override
            public void onToken(int index) {}

            @Override
            public void onFinished(GenerationResult result) {
              if (next[0] < concurrency * 4) {
                int i = next[0]++;
                traces.add(
                    engine.submit(
                        Prompts.request(
                            Prompts.concat(systemPrompts.get(i % 19), Prompts.ids(i, 1200)), 1000),
                        engine.now(),
                        refill[0]));
              }
            }
          };
      for (int i = 0; i < concurrency; i++) {
        next[0]++;
        traces.add(
            engine.submit(
                Prompts.request(
                    Prompts.concat(systemPrompts.get(i % 19), Prompts.ids(i, 1200)), 1000),
                0,
                refill[0]));
      }
      double end = engine.runUntilIdle();
      int tokens = traces.stream().mapToInt(RequestTrace::generatedTokens).sum();
      double hit =
          traces.stream()
              .mapToDouble(tr -> tr.cachedTokens() / (double) tr.promptTokens())
              .average()
              .orElse(0);
      System.out.printf(
          "  c=%4d  %6.0f output tok/s  cache hit %.2f  tpot %5.1f ms  preemptions %d%n",
          concurrency,
          tokens / end,
          hit,
          traces.get(traces.size() - 1).tpot() * 1000,
          engine.snapshot().preemptions());
    }
    System.out.println("Poisson arrivals, prompt 1000, output 200: QPS -> p50/p90 TTFT, mean TPOT");
    for (double qps : new double[] {1, 5, 10, 15, 20, 25}) {
      VirtualTimeEngine engine = new VirtualTimeEngine(config);
      java.util.SplittableRandom random = new java.util.SplittableRandom(1);
      List<RequestTrace> traces = new ArrayList<>();
      double t = 0;
      for (int i = 0; i < 600; i++) {
        t += -Math.log(1 - random.nextDouble()) / qps;
        traces.add(engine.submit(Prompts.request(Prompts.ids(i, 1000), 200), t));
      }
      engine.runUntilIdle();
      double[] ttfts = traces.stream().mapToDouble(RequestTrace::ttft).sorted().toArray();
      double tpot = traces.stream().mapToDouble(RequestTrace::tpot).average().orElse(0);
      System.out.printf(
          "  qps %4.1f  ttft p50 %8.0f ms  p90 %8.0f ms  tpot %6.1f ms%n",
          qps, ttfts[ttfts.length / 2] * 1000, ttfts[ttfts.length * 9 / 10] * 1000, tpot * 1000);
    }
  }
}
