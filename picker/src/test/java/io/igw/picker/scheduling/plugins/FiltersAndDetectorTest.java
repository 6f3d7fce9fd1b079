package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersAndDetectorTest {

  @Test
  void leastFiltersKeepTheLowestBand() {
    List<EndpointState> c =
        List.of(
            Endpoints.state(1, 0, 0, 0.9),
            Endpoints.state(2, 3, 0, 0.1),
            Endpoints.state(3, 9, 0, 0.5));
    assertThat(new LeastQueueFilter(ScorersTest.NAME).filter(Contexts.of(null, null), c))
        .containsExactly(c.get(0), c.get(1));
    assertThat(new LeastKvCacheFilter(ScorersTest.NAME).filter(Contexts.of(null, null), c))
        .containsExactly(c.get(1));
    assertThat(new LowQueueFilter(ScorersTest.NAME, 2).filter(Contexts.of(null, null), c))
        .containsExactly(c.get(0));
    assertThat(new LowQueueFilter(ScorersTest.NAME, -1).filter(Contexts.of(null, null), c))
        .isEqualTo(c);
  }

  @Test
  void loraAffinityFilterPrefersLoadedThenFreeSlots() {
    List<EndpointState> c =
        List.of(
            Endpoints.lora(1, Set.of("a"), Set.of(), 1),
            Endpoints.lora(2, Set.of(), Set.of(), 1),
            Endpoints.lora(3, Set.of("b"), Set.of(), 1));
    var filter = new LoraAffinityFilter(ScorersTest.NAME, 1.0);
    assertThat(filter.filter(Contexts.of("a", null), c)).containsExactly(c.get(0));
    assertThat(filter.filter(Contexts.of("new", null), c)).containsExactly(c.get(1));
  }

  @Test
  void utilizationDetectorAveragesAndTreatsStaleAsFull() {
    var detector = new UtilizationDetector(ScorersTest.NAME, UtilizationDetector.Params.DEFAULTS);
    EndpointState calm =
        Endpoints.state(1, new MetricsSnapshot(1, 0, 0.2, Set.of(), Set.of(), 0, 0, 0, 1000, 0));
    EndpointState busy =
        Endpoints.state(2, new MetricsSnapshot(10, 0, 0.2, Set.of(), Set.of(), 0, 0, 0, 1000, 0));
    assertThat(detector.utilization(List.of(calm, busy), 1000)).isEqualTo((0.25 + 2.0) / 2);
    assertThat(detector.isSaturated(List.of(calm, busy), 1000)).isTrue();
    assertThat(detector.isSaturated(List.of(calm, calm), 1000)).isFalse();
    assertThat(detector.isSaturated(List.of(calm, calm), 1201)).isTrue();
  }
}
