package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.log.BenchLog;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The live pick path on virtual time: what the picker sees of the lab's servers, and what a pick
 * leaves behind.
 */
class LabPickerTest {
  static final EngineConfig ENGINE = EngineConfig.of(EngineProfile.LLAMA_8B_H100);
  static final LabSettings SETTINGS = new LabSettings(2, ENGINE, 50, "m", 1, 600);

  static List<LabServer> servers() {
    return List.of(new LabServer(0, ENGINE), new LabServer(1, ENGINE));
  }

  static LabRequest first(RequestSequence sequence) {
    WorkloadRequest request = sequence.requests().get(0);
    PromptText.Rendered rendered =
        PromptText.forProfile(EngineProfile.LLAMA_8B_H100).render(request.prompt());
    return new LabRequest(request, rendered.text(), rendered.tokenIds());
  }

  @Test
  void aPickIsInFlightOnItsServerUntilTheCompletionEndsItAndScrapesShowTheEngine() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 1, 1, 64, 16, 4).generate(LoadLadder.of(1, 1), 1);
    List<LabServer> servers = servers();
    LabPicker picker =
        new LabPicker(
            EndpointPickerConfigLoader.preset("default"),
            new LabCluster(servers, SETTINGS, Map.of(), Set.of("m")));
    List<PickResult> results = new java.util.ArrayList<>();
    picker.onPick((request, result) -> results.add(result));
    LabRequest lab = first(sequence);
    int server = picker.route(lab, 10).server();
    assertThat(results).singleElement().satisfies(r -> assertThat(r.endpoints()).hasSize(2));
    assertThat(picker.endpointState(server).inFlight()).isEqualTo(1);
    // the OpenAI parse read the body's prompt; the director estimates its tokens from its bytes, as
    // live
    assertThat(picker.endpointState(server).tokensInFlight())
        .isEqualTo(lab.promptText().length() / 4);
    assertThat(picker.endpointState(server).queueEstimate(10)).isEqualTo(1);
    servers
        .get(server)
        .engine()
        .submit(
            new io.igw.simulator.engine.GenerationRequest(
                "req-0", null, lab.tokenIds(), 400, "length"),
            0.01);
    picker.runTimers(50);
    io.igw.picker.datastore.MetricsSnapshot scraped = picker.endpointState(server).metrics();
    assertThat(scraped.running() + scraped.waiting()).as("the scrape saw the request").isEqualTo(1);
    assertThat(picker.endpointState(server).queueEstimate(50))
        .as("no unreported pick")
        .isEqualTo(scraped.waiting());
    assertThat(scraped.numCacheBlocks()).isEqualTo(ENGINE.numGpuBlocks());
    picker.finished(server, lab.request(), 60);
    assertThat(picker.endpointState(server).inFlight()).isZero();
  }

  @Test
  void anObjectiveNamesItsPriorityAndASheddableRequestIsShedWhileThePoolIsSaturated() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 1, 1, 64, 16, 4).generate(LoadLadder.of(4, 10), 1);
    WorkloadRequest plain = sequence.requests().get(0);
    WorkloadRequest batch =
        new WorkloadRequest(
            plain.id(),
            plain.arrivalSeconds(),
            plain.step(),
            plain.model(),
            plain.prompt(),
            plain.outputTokens(),
            "batch",
            -1,
            plain.stream());
    List<LabServer> servers = servers();
    LabPicker picker =
        new LabPicker(
            EndpointPickerConfigLoader.preset("default"),
            new LabCluster(servers, SETTINGS, Map.of("batch", -1), Set.of("m")));
    LabRequest first = first(sequence);
    LabRequest sheddable = new LabRequest(batch, first.promptText(), first.tokenIds());
    assertThat(picker.route(sheddable, 0).routed()).isTrue();
    for (int i = 1; i <= 14; i++) {
      WorkloadRequest r = sequence.requests().get(i);
      assertThat(picker.route(new LabRequest(r, first.promptText(), first.tokenIds()), 1).routed())
          .isTrue();
    }
    RoutingDecision decision = picker.route(sheddable, 2);
    assertThat(decision.isShed()).as("15 unreported picks on 2 servers saturate the pool").isTrue();
  }

  @Test
  void aRunThroughThePickerIsDeterministic() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 4, 2, 256, 64, 16).generate(LoadLadder.of(5, 4), 3);
    RoutingLab lab = new RoutingLab(new LabSettings(3, ENGINE, 50, "m", 7, 600), BenchLog.NONE);
    Policy reference = Policies.builtIn().get("reference");
    assertThat(lab.run(reference, sequence).outcomes())
        .isEqualTo(lab.run(reference, sequence).outcomes());
  }
}
