package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class KvEventMetricsTest {

  @Test
  void theCountsAreReadWhenTheRegistryIsRead() {
    KvIndexStats index = new KvIndexStats(3, 1200, 0, 90, 10, 2, 1, 0, 4, 1);
    KvEventStats[] now = {
      new KvEventStats(3, 50, 70, 1, 2, 3, 4, 5, 1, 6, 5, 1, 7, 0, 0, 12, index)
    };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    KvEventMetrics metrics = new KvEventMetrics(() -> now[0], "precise");
    metrics.bindTo(registry);
    now[0] = new KvEventStats(3, 51, 70, 1, 2, 3, 4, 5, 1, 6, 5, 1, 7, 0, 0, 12, index);

    assertThat(registry.get("igw_kv_events_batches").functionCounter().count()).isEqualTo(51);
    assertThat(registry.get("igw_kv_events_decode_errors").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("igw_kv_events_replays").functionCounter().count()).isEqualTo(6);
    assertThat(registry.get("igw_kv_events_lag_milliseconds").gauge().value()).isEqualTo(12);
    assertThat(registry.get("igw_kv_index_entries").gauge().value()).isEqualTo(1200);
    assertThat(registry.get("igw_kv_index_budget_evictions").functionCounter().count())
        .isEqualTo(2);
    assertThat(registry.get("igw_kv_index_stored_blocks").functionCounter().count()).isEqualTo(90);
    assertThat(
            registry
                .get("igw_kv_events_events")
                .tag(KvEventMetrics.PLUGIN_TAG, "precise")
                .functionCounter()
                .count())
        .isEqualTo(70);
    java.lang.ref.Reference.reachabilityFence(metrics);
  }
}
