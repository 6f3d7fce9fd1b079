package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.MetricsSnapshot;
import org.junit.jupiter.api.Test;

class EngineMetricsMapperTest {

  @Test
  void mapsVllmNamesTakingTheNewestLoraSeries() {
    String text =
        """
        vllm:num_requests_waiting{model_name="a"} 2.0
        vllm:num_requests_waiting{model_name="b"} 1.0
        vllm:num_requests_running{model_name="a"} 4.0
        vllm:gpu_cache_usage_perc{model_name="a"} 0.9
        vllm:kv_cache_usage_perc{model_name="a"} 0.25
        vllm:lora_requests_info{max_lora="2",running_lora_adapters="old",waiting_lora_adapters=""} 1.7e9
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="sql-lora, food",waiting_lora_adapters="x"} 1.8e9
        vllm:cache_config_info{block_size="16",num_gpu_blocks="31250",swap_space="4"} 1.0
        vllm:e2e_request_latency_seconds_bucket{le="1.0"} 12
        vllm:num_requests_running{garbage line
        """;
    MetricsSnapshot m = new EngineMetricsMapper(EngineMetricNames.VLLM).map(text, 1234);
    assertThat(m.waiting()).isEqualTo(3);
    assertThat(m.running()).isEqualTo(4);
    assertThat(m.kvCacheUsage()).isEqualTo(0.25);
    assertThat(m.runningAdapters()).containsExactlyInAnyOrder("sql-lora", "food");
    assertThat(m.waitingAdapters()).containsExactly("x");
    assertThat(m.maxLoraSlots()).isEqualTo(4);
    assertThat(m.blockSizeTokens()).isEqualTo(16);
    assertThat(m.numCacheBlocks()).isEqualTo(31250);
    assertThat(m.scrapedAtMillis()).isEqualTo(1234);
    assertThat(m.badLines()).isEqualTo(1);
  }

  @Test
  void fallsBackToTheOlderKvName() {
    MetricsSnapshot m =
        new EngineMetricsMapper(EngineMetricNames.VLLM).map("vllm:gpu_cache_usage_perc 0.5\n", 0);
    assertThat(m.kvCacheUsage()).isEqualTo(0.5);
  }

  @Test
  void mapsSglangAndTrtllm() {
    MetricsSnapshot s =
        new EngineMetricsMapper(EngineMetricNames.forEngine("sglang"))
            .map(
                """
        sglang:num_queue_reqs 7
        sglang:num_running_reqs 3
        sglang:token_usage 0.4
        sglang:cache_config_info{page_size="32",num_pages="1000"} 1
        """,
                0);
    assertThat(s)
        .extracting(
            MetricsSnapshot::waiting,
            MetricsSnapshot::running,
            MetricsSnapshot::kvCacheUsage,
            MetricsSnapshot::blockSizeTokens,
            MetricsSnapshot::numCacheBlocks)
        .containsExactly(7L, 3L, 0.4, 32, 1000L);
    MetricsSnapshot t =
        new EngineMetricsMapper(EngineMetricNames.forEngine("trtllm-serve"))
            .map(
                """
        trtllm_num_requests_waiting 1
        trtllm_num_requests_running 2
        trtllm_kv_cache_utilization 0.1
        trtllm_kv_cache_tokens_per_block 64
        trtllm_kv_cache_max_blocks 500
        """,
                0);
    assertThat(t)
        .extracting(
            MetricsSnapshot::waiting,
            MetricsSnapshot::running,
            MetricsSnapshot::kvCacheUsage,
            MetricsSnapshot::blockSizeTokens,
            MetricsSnapshot::numCacheBlocks)
        .containsExactly(1L, 2L, 0.1, 64, 500L);
  }

  @Test
  void clampsNonsense() {
    MetricsSnapshot m =
        new EngineMetricsMapper(EngineMetricNames.VLLM)
            .map(
                """
        vllm:num_requests_waiting -5
        vllm:num_requests_running +Inf
        vllm:kv_cache_usage_perc 7
        vllm:cache_config_info{block_size="abc"} 1
        """,
                0);
    assertThat(m.waiting()).isZero();
    assertThat(m.running()).isZero();
    assertThat(m.kvCacheUsage()).isEqualTo(1.0);
    assertThat(m.blockSizeTokens()).isZero();
  }
}
