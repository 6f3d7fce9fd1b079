package io.igw.picker.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.time.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenBucketTest {
  private static final long MINUTE = 60_000;

  @ParameterizedTest
  @CsvSource({
    // level, elapsed ms, capacity, expected level
    "0, 0, 2000, 0",
    "0, 30000, 2000, 1000",
    "0, 60000, 2000, 2000",
    "0, 600000, 2000, 2000",
    "-500, 30000, 2000, 500",
    "1999, 1, 2000, 1999.0333333333333",
  })
  void refillsEvenlyOverTheWindowUpToTheCapacity(
      double level, long elapsed, long capacity, double expected) {
    assertThat(TokenBucket.refilled(level, 1000, 1000 + elapsed, capacity, MINUTE))
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aClockGoingBackRefillsNothing() {
    assertThat(TokenBucket.refilled(10, 5000, 1000, 2000, MINUTE)).isEqualTo(10);
  }

  @ParameterizedTest
  @CsvSource({"2000, 300, 0", "0, 300, 9000", "-300, 300, 18000", "299.5, 300, 15"})
  void waitsForWhatIsMissing(double level, double wanted, long expectedMillis) {
    assertThat(TokenBucket.millisUntil(level, wanted, 2000, MINUTE)).isEqualTo(expectedMillis);
  }

  @Test
  void localStoreTakesAllChargesOrNone() {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    LocalBucketStore store = new LocalBucketStore(clock);
    BucketCharge a = new BucketCharge("a", 1000, MINUTE, 600);
    BucketCharge b = new BucketCharge("b", 500, MINUTE, 400);

    Admission first = store.admit(List.of(a, b)).result();
    assertThat(first.admitted()).isTrue();
    assertThat(first.levels()).containsExactly(1000, 500);

    Admission second = store.admit(List.of(a.withAmount(100), b)).result();
    assertThat(second.refused()).isEqualTo(1);
    assertThat(second.levels()).containsExactly(400, 100);

    // nothing was taken from "a" by the refused admission
    Admission third = store.admit(List.of(a.withAmount(400))).result();
    assertThat(third.admitted()).isTrue();
    assertThat(third.levels()).containsExactly(400);
  }

  @Test
  void localStoreSettlementGivesBackUpToTheCapacityAndCanOwe() {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    LocalBucketStore store = new LocalBucketStore(clock);
    BucketCharge c = new BucketCharge("k", 1000, MINUTE, 900);
    store.admit(List.of(c)).result();
    store.settle(List.of(c.withAmount(5000))).result();
    assertThat(store.admit(List.of(c.withAmount(1000))).result().levels()).containsExactly(1000);
    store.settle(List.of(c.withAmount(-700))).result();
    Admission owing = store.admit(List.of(c.withAmount(1))).result();
    assertThat(owing.admitted()).isFalse();
    assertThat(owing.levels()).containsExactly(-700);
    clock.advance(MINUTE);
    assertThat(store.admit(List.of(c.withAmount(1))).result().levels()).containsExactly(300);
  }

  @Test
  void fullBucketsAreSweptSoMemoryFollowsTheBucketsInUse() {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    LocalBucketStore store = new LocalBucketStore(clock);
    for (int i = 0; i < 1000; i++) {
      store.admit(List.of(new BucketCharge("k" + i, 100, MINUTE, 10)));
    }
    assertThat(store.size()).isEqualTo(1000);
    clock.advance(MINUTE);
    for (int i = 0; i < LocalBucketStore.SWEEP_EVERY; i++) {
      store.admit(List.of(new BucketCharge("same", 100, MINUTE, 0)));
    }
    assertThat(store.size()).isLessThanOrEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "12, 12ms",
    "999, 999ms",
    "1000, 1s",
    "1574, 1.574s",
    "1500, 1.5s",
    "60000, 1m0s",
    "360000, 6m0s",
    "3600000, 1h0m0s",
    "3723004, 1h2m3.004s",
    "86400000, 24h0m0s"
  })
  void resetsAreGoDurationsAsOpenAiWritesThem(long millis, String expected) {
    assertThat(RateLimitHeaders.goDuration(millis)).isEqualTo(expected);
  }
}
