package io.igw.picker.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Unreported picks: counted until a scrape that started after them, aged out, never above the
 * requests in flight.
 */
class EndpointStateTest {
  static final long TTL = 1000;

  static EndpointState state() {
    return new EndpointState(
        Endpoint.of(new PoolName("default", "p"), "pod", "127.0.0.1", 8000, null), TTL);
  }

  static void pick(EndpointState e, long now) {
    e.startRequest(10);
    e.recordPick(now);
  }

  static MetricsSnapshot waiting(long waiting) {
    return new MetricsSnapshot(waiting, 0, 0, Set.of(), Set.of(), 0, 16, 1000, 0, 0);
  }

  @Test
  void aScrapeThatStartedAfterAPickReportsIt() {
    EndpointState e = state();
    pick(e, 0);
    long atStart = e.picksIssued();
    pick(e, 10);
    assertThat(e.queueEstimate(20)).isEqualTo(2);
    e.recordScrape(waiting(3), atStart);
    assertThat(e.pendingPicks(30)).isEqualTo(1);
    assertThat(e.queueEstimate(30)).isEqualTo(4);
  }

  @Test
  void picksThatEndedAreInNoQueue() {
    EndpointState e = state();
    for (int i = 0; i < 12; i++) {
      pick(e, i);
      e.endRequest(
          10); // sequential requests, each completed before the next while no scrape completes
    }
    assertThat(e.pendingPicks(12)).isZero();
    pick(e, 13);
    assertThat(e.pendingPicks(13)).isEqualTo(1);
  }

  @Test
  void picksAgeOutWhenNoScrapeReportsThem() {
    EndpointState e = state();
    pick(e, 0);
    pick(e, 400);
    pick(e, 900);
    assertThat(e.pendingPicks(999)).isEqualTo(3);
    assertThat(e.pendingPicks(1000)).isEqualTo(2);
    assertThat(e.pendingPicks(1400)).isEqualTo(1);
    assertThat(e.pendingPicks(1900)).isZero();
    assertThat(e.inFlight())
        .isEqualTo(3); // ageing concerns the scrape estimate only: the requests still run
  }

  @Test
  void moreUnreportedPicksThanKeptTimesAllCountWhileTheOldestKeptIsFresh() {
    EndpointState e = state();
    for (int i = 0; i < 500; i++) {
      pick(e, 100 + i);
    }
    assertThat(e.pendingPicks(700)).isEqualTo(500);
    // 128 times are kept (picks 372..499, made at 472..599): while the oldest is fresh, older picks
    // count too
    assertThat(e.pendingPicks(1200)).isEqualTo(500);
    // once it is not, the kept times say which of the newest are still fresh (made after 480: picks
    // 381..499)
    assertThat(e.pendingPicks(1480)).isEqualTo(119);
    assertThat(e.pendingPicks(1700)).isZero();
  }
}
