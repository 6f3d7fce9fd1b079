package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.options.SimulatorOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorMainTest {

  private static List<SimulatorOptions> parse(String... args) {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs(args);
    return main.serverOptions();
  }

  @Test
  void oneServerFromFlags() {
    List<SimulatorOptions> all =
        parse(
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--model",
            "m",
            "--lora",
            "a,b",
            "--lora",
            "c",
            "--profile",
            "llama-70b-h100-tp4",
            "--time-scale",
            "10",
            "--name",
            "pod-1");

    assertThat(all).hasSize(1);
    SimulatorOptions options = all.get(0);
    assertThat(options.getHost()).isEqualTo("0.0.0.0");
    assertThat(options.getPort()).isEqualTo(9000);
    assertThat(options.getModel()).isEqualTo("m");
    assertThat(options.getLoras()).containsExactly("a", "b", "c");
    assertThat(options.getProfile()).isEqualTo("llama-70b-h100-tp4");
    assertThat(options.getTimeScale()).isEqualTo(10.0);
    assertThat(options.getName()).isEqualTo("pod-1");
  }

  @Test
  void severalServersWithTheirOwnAdapters() {
    List<SimulatorOptions> all =
        parse(
            "--servers",
            "127.0.0.11,127.0.0.12,127.0.0.13",
            "--port",
            "8000",
            "--server-loras",
            "0=food-review-1,1=food-review-1",
            "--server-lora",
            "127.0.0.13=sql-lora");

    assertThat(all)
        .extracting(SimulatorOptions::getHost)
        .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    assertThat(all).extracting(SimulatorOptions::getPort).containsOnly(8000);
    assertThat(all.get(0).getLoras()).containsExactly("food-review-1");
    assertThat(all.get(1).getLoras()).containsExactly("food-review-1");
    assertThat(all.get(2).getLoras()).containsExactly("sql-lora");
    assertThat(all).extracting(SimulatorOptions::getName).containsOnlyNulls();
  }

  @Test
  void engineFaultAndMetricFlags() {
    SimulatorOptions options =
        parse(
                "--max-num-seqs",
                "4",
                "--max-num-batched-tokens",
                "2048",
                "--max-loras",
                "2",
                "--num-gpu-blocks",
                "900",
                "--natural-output-tokens",
                "120",
                "--metrics-flavor",
                "sglang",
                "--no-prefix-caching",
                "--faults",
                "{\"errorRate\":0.25}")
            .get(0);

    assertThat(options.getMaxNumSeqs()).isEqualTo(4);
    assertThat(options.getMaxNumBatchedTokens()).isEqualTo(2048);
    assertThat(options.getMaxLoras()).isEqualTo(2);
    assertThat(options.getNumGpuBlocks()).isEqualTo(900);
    assertThat(options.getNaturalOutputTokens()).isEqualTo(120);
    assertThat(options.getMetricsFlavor()).isEqualTo("sglang");
    assertThat(options.isPrefixCaching()).isFalse();
    assertThat(options.getFaults().getDouble("errorRate")).isEqualTo(0.25);
  }

  @Test
  void optionsSurviveAJsonRoundTrip() {
    SimulatorOptions options =
        new SimulatorOptions()
            .setName("n")
            .setLoras(List.of("a"))
            .setTimeScale(3)
            .setSeed(9)
            .setFaults(new io.vertx.core.json.JsonObject().put("hangRate", 0.1))
            .setKvEventsConfig(
                new io.vertx.core.json.JsonObject().put("enable_kv_cache_events", true))
            .setKvEventsEncoding("array");

    assertThat(new SimulatorOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
  }

  @Test
  void kvEventsFlagsTakeVllmsJsonAndAnEncoding() {
    SimulatorOptions options =
        parse(
                "--kv-events-config",
                "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:5557\","
                    + "\"replay_endpoint\":\"tcp://*:5558\",\"topic\":\"kv@pod@m\"}",
                "--kv-events-encoding",
                "ARRAY")
            .get(0);

    assertThat(options.getKvEventsConfig().getString("replay_endpoint")).isEqualTo("tcp://*:5558");
    assertThat(options.getKvEventsEncoding()).isEqualTo("array");
    assertThat(parse().get(0).getKvEventsConfig()).isNull();
    assertThat(parse().get(0).getKvEventsEncoding()).isEqualTo("map");
  }

  @Test
  void severalServersPublishUnderTheirOwnTopics() {
    List<SimulatorOptions> all =
        parse(
            "--servers",
            "127.0.0.11,127.0.0.12,127.0.0.13",
            "--kv-events-config",
            "{\"enable_kv_cache_events\":true,\"endpoint\":\"tcp://*:5557\",\"topic\":\"kv@shared@m\"}",
            "--server-kv-events-topic",
            "0=kv@127.0.0.11@m,127.0.0.12=kv@127.0.0.12@m");

    assertThat(all)
        .extracting(o -> o.getKvEventsConfig().getString("topic"))
        .containsExactly("kv@127.0.0.11@m", "kv@127.0.0.12@m", "kv@shared@m");
    assertThat(all)
        .extracting(o -> o.getKvEventsConfig().getString("endpoint"))
        .containsOnly("tcp://*:5557");
  }

  @Test
  void badKvEventsFlagsAreUsageErrors() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse("--kv-events-config", "{\"hwm\":true}"))
        .isInstanceOf(CommandLine.ParameterException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--kv-events-encoding", "json"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("json");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse("--server-kv-events-topic", "0=kv@a@m"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("needs --kv-events-config");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                parse(
                    "--kv-events-config",
                    "{}",
                    "--server-kv-events-topic",
                    "0=kv@a@m,127.0.0.1=kv@b@m"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("more than once");
  }
}
