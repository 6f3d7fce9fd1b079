package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PoissonArrivalsTest {
  @Test
  void sameSeedSameTimesEachStepAtItsRate() {
    LoadLadder ladder = LoadLadder.of(100, 2, 20);
    double[] a = PoissonArrivals.times(ladder, 42);
    assertThat(a).isEqualTo(PoissonArrivals.times(ladder, 42));
    assertThat(a).isSorted();
    long first = Arrays.stream(a).filter(t -> t < 100).count();
    long second = a.length - first;
    assertThat(first).isBetween(140L, 260L);
    assertThat(second).isBetween(1800L, 2200L);
    assertThat(ladder.stepAt(99.9)).isZero();
    assertThat(ladder.stepAt(100)).isEqualTo(1);
  }

  @Test
  void aZeroRateStepIsAPause() {
    double[] times =
        PoissonArrivals.times(
            new LoadLadder(java.util.List.of(new LoadStep(0, 10), new LoadStep(5, 10))), 1);
    assertThat(java.util.Arrays.stream(times).min().orElse(10)).isGreaterThanOrEqualTo(10);
  }
}
