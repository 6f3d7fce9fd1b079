package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfPopularityTest {
  @Test
  void exponentOneGivesTheTopRankItsHarmonicShare() {
    ZipfPopularity zipf = new ZipfPopularity(150, 1);
    double harmonic = 0;
    for (int k = 1; k <= 150; k++) {
      harmonic += 1.0 / k;
    }
    assertThat(zipf.share(0)).isCloseTo(1 / harmonic, within(1e-12));
    assertThat(zipf.share(1)).isCloseTo(0.5 / harmonic, within(1e-12));
    int[] counts = new int[150];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      counts[zipf.rank(random.nextDouble())]++;
    }
    assertThat(counts[0] / 100_000.0).isCloseTo(zipf.share(0), within(0.01));
    assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(counts[10]);
  }

  @Test
  void exponentZeroIsUniformAndEveryDrawIsARank() {
    ZipfPopularity uniform = new ZipfPopularity(4, 0);
    assertThat(uniform.share(3)).isCloseTo(0.25, within(1e-12));
    assertThat(uniform.rank(0)).isZero();
    assertThat(uniform.rank(0.25)).isEqualTo(1);
    assertThat(uniform.rank(0.999999)).isEqualTo(3);
    assertThat(uniform.rank(1.0)).isEqualTo(3);
  }

  @Test
  void badShapesAreRefused() {
    assertThatThrownBy(() -> new ZipfPopularity(0, 1)).hasMessageContaining("n ≥ 1");
    assertThatThrownBy(() -> new ZipfPopularity(3, -1)).hasMessageContaining("exponent");
    assertThatThrownBy(() -> new ZipfPopularity(3, Double.NaN)).hasMessageContaining("exponent");
  }

  @Test
  void theSkewedPresetSendsTheLargestTenantAboutAFifthAndTheUniformOneAboutOneIn150() {
    assertThat(largestTenantShare(SharedPrefixWorkload.skewedB2bSaas("m"))).isBetween(0.15, 0.21);
    assertThat(largestTenantShare(SharedPrefixWorkload.b2bSaas("m"))).isLessThan(0.02);
  }

  static double largestTenantShare(SharedPrefixWorkload workload) {
    RequestSequence sequence = workload.generate(LoadLadder.of(60, 30), 3);
    java.util.Map<Long, Integer> bySystemPrompt = new java.util.HashMap<>();
    for (WorkloadRequest r : sequence.requests()) {
      bySystemPrompt.merge(r.prompt().segmentSeed(0), 1, Integer::sum);
    }
    int max = bySystemPrompt.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    return (double) max / sequence.size();
  }
}
