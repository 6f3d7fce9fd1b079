package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.MixedPriorityWorkload;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small clusters and short sequences: behaviour, not speed. */
class RoutingLabTest {
  static final EngineConfig ENGINE = EngineConfig.of(EngineProfile.LLAMA_8B_H100);
  static final Map<String, Policy> POLICIES = Policies.builtIn();

  static RoutingLab lab(int servers) {
    return new RoutingLab(new LabSettings(servers, ENGINE, 50, "m", 7, 600), BenchLog.NONE);
  }

  @Test
  void theSameSequenceGivesTheSameOutcomes() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 4, 2, 256, 64, 16).generate(LoadLadder.of(5, 4), 3);
    PolicyRun a = lab(3).run(POLICIES.get(Policies.IGW), sequence);
    PolicyRun b = lab(3).run(POLICIES.get(Policies.IGW), sequence);
    assertThat(a.outcomes()).isEqualTo(b.outcomes());
    assertThat(a.outcomes()).allMatch(RequestOutcome::ok);
    assertThat(a.outputTokensByStep()[0]).isPositive();
  }

  @Test
  void roundRobinTakesServersInTurn() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 2, 1, 64, 16, 4).generate(LoadLadder.of(3, 2), 1);
    PolicyRun run = lab(3).run(POLICIES.get(Policies.ROUND_ROBIN), sequence);
    for (RequestOutcome o : run.outcomes()) {
      assertThat(o.server()).isEqualTo(o.id() % 3);
    }
  }

  @Test
  void prefixAffinityRaisesTheCacheHitRate() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 8, 2, 512, 32, 8).generate(LoadLadder.of(10, 4), 5);
    assertThat(hitRate(lab(4).run(POLICIES.get("prefix-only"), sequence)))
        .isGreaterThan(hitRate(lab(4).run(POLICIES.get(Policies.ROUND_ROBIN), sequence)));
  }

  @Test
  void thePickerShedsSheddableWorkUnderOverloadAndTheBaselineDoesNot() {
    RequestSequence sequence =
        MixedPriorityWorkload.chatAndBatch("m").generate(LoadLadder.of(4, 150), 2);
    PolicyRun igw = lab(1).run(POLICIES.get(Policies.IGW), sequence);
    PolicyRun roundRobin = lab(1).run(POLICIES.get(Policies.ROUND_ROBIN), sequence);
    assertThat(igw.outcomes()).anyMatch(RequestOutcome::shed);
    assertThat(igw.outcomes()).filteredOn(RequestOutcome::shed).allMatch(o -> o.priority() < 0);
    assertThat(roundRobin.outcomes()).noneMatch(RequestOutcome::shed);
  }

  @Test
  void withFlowControlSheddableWorkWaitsInsteadOfBeingShedAndNothingIsLost() {
    RequestSequence sequence =
        MixedPriorityWorkload.chatAndBatch("m").generate(LoadLadder.of(4, 150), 2);
    PolicyRun flow = lab(1).run(POLICIES.get("igw-flow"), sequence);
    assertThat(flow.outcomes()).hasSize(sequence.size());
    assertThat(flow.outcomes()).noneMatch(RequestOutcome::shed);
    // far past saturation the queue only drains for the critical band: sheddable work waits out its
    // 4 s TTL (503)
    assertThat(flow.outcomes()).anyMatch(o -> o.status() == 503 && o.priority() < 0);
    assertThat(flow.outcomes()).allMatch(o -> o.ok() || o.status() == 503 || o.timedOut());
    long criticalOk = flow.outcomes().stream().filter(o -> o.ok() && o.priority() >= 0).count();
    long sheddableOk = flow.outcomes().stream().filter(o -> o.ok() && o.priority() < 0).count();
    assertThat(criticalOk).isGreaterThan(sheddableOk);
  }

  @Test
  void clientsAbandonRequestsAtTheirTimeout() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 2, 2, 2000, 100, 400).generate(LoadLadder.of(5, 20), 4);
    PolicyRun run =
        new RoutingLab(new LabSettings(1, ENGINE, 50, "m", 7, 3), BenchLog.NONE)
            .run(POLICIES.get(Policies.ROUND_ROBIN), sequence);
    assertThat(run.outcomes()).anyMatch(RequestOutcome::timedOut);
    assertThat(run.outcomes()).filteredOn(RequestOutcome::timedOut).allMatch(o -> o.ttft() <= 3);
  }

  private static double hitRate(PolicyRun run) {
    long prompt = run.outcomes().stream().mapToLong(RequestOutcome::promptTokens).sum();
    long cached = run.outcomes().stream().mapToLong(RequestOutcome::cachedTokens).sum();
    return (double) cached / prompt;
  }

  @Test
  void aClientCapHoldsArrivalsUntilARequestEndsAndTimesThemFromTheSend() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 4, 2, 256, 64, 200).generate(LoadLadder.of(2, 20), 5);
    LabSettings capped = new LabSettings(2, ENGINE, 50, "m", 7, 600, KvEventDelivery.DEFAULTS, 2);
    java.util.List<io.igw.simulator.engine.RequestTrace> sent = new java.util.ArrayList<>();
    int[] most = {0};
    LabObserver observer =
        new LabObserver() {
          @Override
          public void sent(LabRequest request, int server, io.igw.simulator.engine.RequestTrace t) {
            sent.add(t);
            most[0] = Math.max(most[0], (int) sent.stream().filter(x -> !x.finished()).count());
          }
        };
    PolicyRun open = lab(2).run(POLICIES.get(Policies.ROUND_ROBIN), sequence);
    PolicyRun run =
        new RoutingLab(capped, BenchLog.NONE)
            .run(POLICIES.get(Policies.ROUND_ROBIN), sequence, observer);

    assertThat(run.outcomes()).hasSize(sequence.size()).allMatch(RequestOutcome::ok);
    assertThat(most[0]).as("never more than 2 requests out at once").isEqualTo(2);
    double openE2e = open.outcomes().stream().mapToDouble(RequestOutcome::e2e).max().orElseThrow();
    double cappedE2e = run.outcomes().stream().mapToDouble(RequestOutcome::e2e).max().orElseThrow();
    assertThat(cappedE2e)
        .as(
            "with 2 in flight, no request is slowed by a batch of many; latency counts from the send")
        .isLessThan(openE2e);
    assertThat(
            new RoutingLab(capped, BenchLog.NONE)
                .run(POLICIES.get(Policies.ROUND_ROBIN), sequence)
                .outcomes())
        .isEqualTo(run.outcomes());
  }

  @Test
  void aNegativeClientCapIsRefusedNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LabSettings(1, ENGINE, 50, "m", 7, 600, KvEventDelivery.DEFAULTS, -1))
        .hasMessageContaining("clientMaxInFlight");
  }
}
