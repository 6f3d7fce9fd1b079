package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.picker.core.PickResult;
import io.igw.picker.scheduling.PrefixMatch;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.simulator.engine.GenerationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The precise preset in the lab: the engines' KV events reach the picker's index through the
 * decoder, after the configured delay, with the configured losses, and picks read precise matches
 * of the exact tokens.
 */
class LabKvEventsTest {
  private static final RequestSequence SEQUENCE =
      new SharedPrefixWorkload("s", "m", 1, 1, 640, 64, 4).generate(LoadLadder.of(1, 1), 1);

  private record Setup(LabPicker picker, List<LabServer> servers, List<PickResult> picks) {}

  private static Setup precise(KvEventDelivery delivery) {
    List<LabServer> servers = LabPickerTest.servers();
    LabPicker picker =
        new LabPicker(
            EndpointPickerConfigLoader.preset(Policies.PRECISE),
            new LabCluster(
                servers, LabPickerTest.SETTINGS.withKvEvents(delivery), Map.of(), Set.of("m")));
    List<PickResult> picks = new ArrayList<>();
    picker.onPick((request, result) -> picks.add(result));
    return new Setup(picker, servers, picks);
  }

  /** Runs the request to its end on {@code server}, from {@code at} seconds; returns the end. */
  private static double serve(LabServer server, LabRequest lab, double at) {
    server.engine().submit(new GenerationRequest("warm", null, lab.tokenIds(), 4, "length"), at);
    return server.engine().runUntilIdle();
  }

  /** Runs the picker's scrapes and sweeps up to {@code millis}, then picks there. */
  private static RoutingDecision routeAt(Setup s, LabRequest lab, long millis) {
    while (s.picker().nextTimerMillis() <= millis) {
      s.picker().runTimers(s.picker().nextTimerMillis());
    }
    return s.picker().route(lab, millis);
  }

  private static PrefixMatch precise(PickResult result) {
    return result.prefixMatches().stream()
        .filter(m -> m.plugin().name().equals("precise-prefix-cache-producer"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aPromptAServerCachedIsMatchedPreciselyThereAndGoesThere() {
    Setup s = precise(KvEventDelivery.DEFAULTS);
    LabRequest lab = LabPickerTest.first(SEQUENCE);
    double end = serve(s.servers().get(1), lab, 0);

    RoutingDecision decision = routeAt(s, lab, Math.round(end * 1000) + 1);

    assertThat(decision.server()).isEqualTo(1);
    PrefixMatch match = precise(s.picks().get(0));
    assertThat(match.totalBlocks()).isEqualTo(lab.tokenIds().length / 16);
    assertThat(match.matchedBlocks())
        .as("every full block of the exact tokens is in the index")
        .isEqualTo(match.totalBlocks());
    LabKvEvents.Counts counts = s.picker().kvEventCounts();
    assertThat(counts.applied()).isPositive().isEqualTo(counts.batches());
    assertThat(counts.decodeErrors()).isZero();
  }

  @Test
  void eventsReachTheIndexOnlyAfterTheirDelay() {
    Setup s = precise(new KvEventDelivery(500, 0, false));
    LabRequest lab = LabPickerTest.first(SEQUENCE);
    LabServer server = s.servers().get(1);
    server.engine().submit(new GenerationRequest("warm", null, lab.tokenIds(), 4, "length"), 0);
    server.engine().advanceTo(0.3);
    assertThat(s.picker().kvEventCounts().applied()).as("nothing before 500 ms").isZero();

    double end = server.engine().runUntilIdle();

    assertThat(end).isGreaterThanOrEqualTo(0.5);
    assertThat(s.picker().kvEventCounts().applied()).isPositive();
  }

  @Test
  void lostBatchesNeverReachTheIndexUnlessReplayed() {
    Setup lost = precise(new KvEventDelivery(0, 1, false));
    LabRequest lab = LabPickerTest.first(SEQUENCE);
    double end = serve(lost.servers().get(1), lab, 0);
    routeAt(lost, lab, Math.round(end * 1000) + 1);
    assertThat(lost.picker().kvEventCounts().applied()).isZero();
    assertThat(precise(lost.picks().get(0)).matchedBlocks())
        .as("the engine's events never came: the server is matched approximately, not at all")
        .isZero();

    Setup replayed = precise(new KvEventDelivery(0, 0.5, true));
    LabServer server = replayed.servers().get(1);
    for (int i = 0; i < 20; i++) {
      LabRequest r =
          LabPickerTest.first(
              new SharedPrefixWorkload("s", "m", 1, 1, 320, 32, 4)
                  .generate(LoadLadder.of(1, 50), 100 + i));
      serve(server, r, server.engine().now() + 2);
    }
    LabKvEvents.Counts counts = replayed.picker().kvEventCounts();
    assertThat(counts.replayed()).as("gaps replayed, 2 s apart").isPositive();
    assertThat(counts.applied() + counts.lost()).isLessThanOrEqualTo(counts.batches());
  }

  @Test
  void anOutageLosesOneServersBatchesAndTheReplayAfterItRestoresTheIndex() {
    LabRequest held = LabPickerTest.first(SEQUENCE);
    LabRequest later =
        LabPickerTest.first(
            new SharedPrefixWorkload("s", "m", 1, 1, 320, 32, 4).generate(LoadLadder.of(1, 50), 7));
    KvEventDelivery.Outage outage = new KvEventDelivery.Outage(1, 0, 30);
    for (boolean replay : new boolean[] {false, true}) {
      Setup s = precise(new KvEventDelivery(0, 0, replay, outage));
      LabServer server = s.servers().get(1);
      double end = serve(server, held, 0);
      assertThat(end).as("the held prompt is served inside the outage").isLessThan(30);
      assertThat(s.picker().kvEventCounts().applied()).as("nothing during the outage").isZero();

      double after = serve(server, later, 31);

      RoutingDecision decision = routeAt(s, held, Math.round(after * 1000) + 1);
      PrefixMatch match = precise(s.picks().get(0));
      LabKvEvents.Counts counts = s.picker().kvEventCounts();
      if (replay) {
        assertThat(counts.replayed()).as("the outage's batches, replayed").isPositive();
        assertThat(counts.lost()).isZero();
        assertThat(match.matchedBlocks())
            .as("the replay put the held prompt back in the index")
            .isEqualTo(match.totalBlocks());
        assertThat(decision.server()).isEqualTo(1);
      } else {
        assertThat(counts.lost()).as("the outage's batches, lost").isPositive();
        assertThat(match.matchedBlocks()).as("never heard of, without replay").isZero();
      }
    }
  }

  @Test
  void anOutageIsWrittenServerAtStartPlusSeconds() {
    assertThat(KvEventDelivery.Outage.parse("2@60+30"))
        .isEqualTo(new KvEventDelivery.Outage(2, 60, 30));
    assertThat(KvEventDelivery.Outage.parse(" 0@1.5+0.5 "))
        .isEqualTo(new KvEventDelivery.Outage(0, 1.5, 0.5));
    for (String bad : new String[] {"", "0@60", "a@1+2", "0@-1+2", "0@1+2+3"}) {
      assertThatThrownBy(() -> KvEventDelivery.Outage.parse(bad))
          .as(bad)
          .hasMessageContaining("SERVER@FROM+SECONDS");
    }
  }

  @Test
  void aDeliveryOutOfRangeIsRefusedNamingTheField() {
    assertThatThrownBy(() -> new KvEventDelivery(-1, 0, false))
        .hasMessageContaining("kvEventDelayMillis");
    assertThatThrownBy(() -> new KvEventDelivery(0, 1.5, false))
        .hasMessageContaining("kvEventLossFraction");
    assertThatThrownBy(() -> new KvEventDelivery(0, Double.NaN, false))
        .hasMessageContaining("kvEventLossFraction");
  }
}
