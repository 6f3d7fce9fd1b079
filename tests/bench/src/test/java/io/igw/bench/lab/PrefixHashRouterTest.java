package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.simulator.engine.EngineProfile;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixHashRouterTest {
  @Test
  void aSystemPromptAlwaysGoesToOneServerAndManySpreadOverAll() {
    RequestSequence sequence =
        new SharedPrefixWorkload("s", "m", 64, 3, 512, 64, 8).generate(LoadLadder.of(20, 10), 1);
    PrefixHashRouter router = new PrefixHashRouter(8);
    PromptText words = PromptText.forProfile(EngineProfile.LLAMA_8B_H100);
    Map<Long, Integer> serverBySystemPrompt = new HashMap<>();
    Set<Integer> used = new HashSet<>();
    for (WorkloadRequest r : sequence.requests()) {
      PromptText.Rendered rendered = words.render(r.prompt());
      int server =
          router.route(new LabRequest(r, rendered.text(), rendered.tokenIds()), 0).server();
      Integer before = serverBySystemPrompt.putIfAbsent(r.prompt().segmentSeed(0), server);
      assertThat(before == null || before == server).as("prefix moved").isTrue();
      used.add(server);
    }
    assertThat(serverBySystemPrompt).hasSizeGreaterThan(32);
    assertThat(used).hasSize(8);
  }
}
