package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerRouterTest {
  @Test
  void aPickIsInFlightOnItsServerUntilItEnds() {
    List<LabServer> servers = List.of(new LabServer(0, EngineConfig.of(EngineProfile.LLAMA_8B_H100)),
        new LabServer(1, EngineConfig.of(EngineProfile.LLAMA_8B_H100)));
    servers.forEach(s -> s.scrape(0));
    SchedulerRouter router = new SchedulerRouter(EndpointPickerConfigLoader.preset("default"), servers,
        new SplittableRandom(1));
    WorkloadRequest request = new SharedPrefixWorkload("s", "m", 1, 1, 64, 16, 4).generate(LoadLadder.of(1, 1), 1)
        .requests().get(0);
    PromptText.Rendered rendered = PromptText.forProfile(EngineProfile.LLAMA_8B_H100).render(request.prompt());
    int server = router.route(new LabRequest(request, rendered.text(), rendered.tokenIds()), 0).server();
    assertThat(servers.get(server).state().inFlight()).isEqualTo(1);
    assertThat(servers.get(server).state().tokensInFlight()).isEqualTo(request.prompt().tokens());
    router.finished(server, request);
    assertThat(servers.get(server).state().inFlight()).isZero();
    assertThat(servers.get(server).state().tokensInFlight()).isZero();
  }
}
