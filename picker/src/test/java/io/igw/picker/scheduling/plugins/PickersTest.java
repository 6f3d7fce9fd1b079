package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickersTest {
  final List<EndpointState> c =
      List.of(
          Endpoints.state(1, 0, 0, 0),
          Endpoints.state(2, 0, 0, 0),
          Endpoints.state(3, 0, 0, 0),
          Endpoints.state(4, 0, 0, 0));

  @Test
  void maxScoreReturnsARankedListOfTheRequestedLength() {
    var picker = new MaxScorePicker(ScorersTest.NAME, 3);
    List<EndpointState> picked =
        picker.pick(Contexts.of(null, null), c, new double[] {0.1, 0.9, 0.5, 0.7});
    assertThat(picked).containsExactly(c.get(1), c.get(3), c.get(2));
  }

  @Test
  void maxScoreBreaksTiesAtRandom() {
    var picker = new MaxScorePicker(ScorersTest.NAME, 1);
    SchedulingContext context = Contexts.of(null, null);
    Map<EndpointState, Integer> counts = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      counts.merge(picker.pick(context, c, new double[] {1, 1, 1, 0}).get(0), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey(c.get(3));
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(1100, 1560));
  }

  @Test
  void weightedRandomFollowsTheScores() {
    var picker = new WeightedRandomPicker(ScorersTest.NAME, 2);
    SchedulingContext context = Contexts.of(null, null);
    Map<EndpointState, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      List<EndpointState> picked = picker.pick(context, c, new double[] {3, 1, 0, 0});
      assertThat(picked).hasSize(2).doesNotHaveDuplicates();
      firsts.merge(picked.get(0), 1, Integer::sum);
    }
    assertThat(firsts.get(c.get(0))).isBetween(2800, 3200);
    assertThat(firsts.get(c.get(1))).isBetween(800, 1200);
  }

  @Test
  void randomPickerReturnsDistinctEndpoints() {
    var picker = new RandomPicker(ScorersTest.NAME, 10);
    assertThat(picker.pick(Contexts.of(null, null), c, new double[4]))
        .containsExactlyInAnyOrderElementsOf(c);
  }
}
