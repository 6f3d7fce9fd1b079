package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many LoRA adapters, more than a server can hold ({@code max-loras}): each arrival names adapter
 * {@code <prefix>-k} with Zipf(1) popularity over {@code adapters}, a per-adapter system prompt and
 * a unique question. Routing that ignores adapters makes servers swap adapters and run small
 * batches.
 */
public record MultiLoraWorkload(
    String name,
    String adapterPrefix,
    int adapters,
    int systemTokens,
    int questionTokens,
    int outputTokens)
    implements Workload {

  public static MultiLoraWorkload manyAdapters() {
    return new MultiLoraWorkload("multi-lora", "lora", 16, 500, 300, 200);
  }

  public String adapter(int k) {
    return adapterPrefix + "-" + k;
  }

  @Override
  public RequestSequence generate(LoadLadder ladder, long seed) {
    double[] times = PoissonArrivals.times(ladder, seed);
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 21));
    ZipfPopularity popularity = new ZipfPopularity(adapters, 1);
    List<WorkloadRequest> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      int k = popularity.rank(random.nextDouble());
      Prompt prompt =
          Prompt.segment(Seeds.derive(seed, 22, k), systemTokens)
              .then(Seeds.derive(seed, 23, i), questionTokens);
      out.add(
          new WorkloadRequest(
              i,
              times[i],
              ladder.stepAt(times[i]),
              adapter(k),
              prompt,
              outputTokens,
              null,
              0,
              true));
    }
    return new RequestSequence(name, ladder, out);
  }
}
