package io.igw.api.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void movesOnlyWhenToldAndNeverBack() {
    ManualClock clock = new ManualClock(1_000);
    assertThat(clock.millis()).isEqualTo(1_000);
    clock.set(5_000);
    clock.set(4_000);
    assertThat(clock.millis()).as("an earlier time leaves it").isEqualTo(5_000);
    clock.advance(Duration.ofSeconds(2));
    clock.setSeconds(6.5);
    assertThat(clock.instant().toEpochMilli()).isEqualTo(7_000);
    assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.withZone(ZoneId.of("Europe/Paris"))).isSameAs(clock);
  }
}
