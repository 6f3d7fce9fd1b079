package io.igw.bench.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveConfigTest {
  static final LiveSettings SETTINGS =
      new LiveSettings(
          2,
          2,
          "llama-8b-h100",
          "m",
          18400,
          18490,
          18481,
          18482,
          18483,
          18484,
          1,
          List.of(new LiveSettings.Objective("batch", -1)),
          false);

  @Test
  void baselinesBalanceOverEveryServer() throws Exception {
    String conf = BaselineNginxConf.render(SETTINGS, "/tmp/p", "127.0.0.1", 1024, false);
    assertThat(conf)
        .contains(
            "server 127.0.0.41:18400;",
            "server 127.0.0.42:18400;",
            "least_conn;",
            "listen 127.0.0.1:18482;",
            "listen 127.0.0.1:18483;",
            "proxy_buffering off;",
            "client_body_buffer_size 1024;")
        .doesNotContain("${", "user root;");
  }

  @Test
  void staticBackendAnswersTheModelAndIdleMetricsAndTheFloorsPicks() throws Exception {
    String conf =
        BaselineNginxConf.renderStaticBackend(
            SETTINGS, "/tmp/p", "m", "127.0.0.1:18495", "/usr/lib/nginx/modules/js.so", true);
    assertThat(conf)
        .contains(
            "load_module /usr/lib/nginx/modules/js.so;",
            "user root;",
            "listen 127.0.0.41:18400;",
            "vllm:num_requests_waiting",
            "\"id\":\"m\"",
            "js_path /tmp/p/conf;",
            "listen 127.0.0.1:18495;",
            "add_header x-gateway-destination-endpoint 127.0.0.41:18400 always;")
        .doesNotContain("${");
  }

  @Test
  void staticBackendWithNjsBuiltInLoadsNoModule() throws Exception {
    String conf =
        BaselineNginxConf.renderStaticBackend(
            SETTINGS, "/tmp/p", "m", "127.0.0.1:18495", null, false);
    assertThat(conf).doesNotContain("load_module", "user root;", "${");
  }

  @Test
  void manifestsDeclareAReadyPodPerServerAndTheObjectives() {
    String yaml = LiveManifests.render(SETTINGS);
    assertThat(yaml)
        .contains(
            "podIP: 127.0.0.41",
            "podIP: 127.0.0.42",
            "kind: InferenceObjective",
            "priority: -1",
            "targetPorts: [{number: 18400}]");
  }

  @Test
  void scrapesAsOftenInSimulatedTimeAsInProduction() {
    assertThat(SETTINGS.scrapeIntervalMs()).isEqualTo(25);
  }

  private static LiveSettings withPresets(List<String> presets) {
    return new LiveSettings(
        2,
        2,
        "llama-8b-h100",
        "m/x",
        18400,
        18490,
        18481,
        18482,
        18483,
        18484,
        1,
        List.of(),
        false,
        presets);
  }

  @Test
  void withThePrecisePresetEveryServerPublishesKvEventsOnItsOwnAddressAndTopic() {
    LiveSettings settings = withPresets(List.of("default", "precise"));
    List<String> command =
        LiveCluster.simulatorCommand(settings, "java", java.nio.file.Path.of("igw-simulator.jar"));

    assertThat(settings.kvEvents()).isTrue();
    assertThat(command).containsSequence("--servers", "127.0.0.41,127.0.0.42");
    String config = command.get(command.indexOf("--kv-events-config") + 1);
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(config);
    assertThat(json.getBoolean("enable_kv_cache_events")).isTrue();
    assertThat(json.getString("publisher")).isEqualTo("zmq");
    // the wildcard host is each server's own 127.0.0.x: the ports the precise preset dials
    assertThat(json.getString("endpoint")).isEqualTo("tcp://*:5557");
    assertThat(json.getString("replay_endpoint")).isEqualTo("tcp://*:5558");
    assertThat(command)
        .containsSequence("--server-kv-events-topic", "0=kv@127.0.0.41@m/x,1=kv@127.0.0.42@m/x");
  }

  @Test
  void theSimulatorsTheBenchStartsParseAsServersWithTheirOwnTopics() {
    List<String> command =
        LiveCluster.simulatorCommand(
            withPresets(List.of("precise")), "java", java.nio.file.Path.of("igw-simulator.jar"));
    io.igw.simulator.SimulatorMain main = new io.igw.simulator.SimulatorMain();
    new picocli.CommandLine(main)
        .parseArgs(command.subList(4, command.size()).toArray(String[]::new));

    assertThat(main.serverOptions())
        .extracting(o -> o.getKvEventsConfig().getString("topic"))
        .containsExactly("kv@127.0.0.41@m/x", "kv@127.0.0.42@m/x");
  }

  @Test
  void withoutAKvEventPresetTheServersPublishNothing() {
    List<String> command =
        LiveCluster.simulatorCommand(
            withPresets(List.of("default", "reference")),
            "java",
            java.nio.file.Path.of("igw-simulator.jar"));
    assertThat(command).doesNotContain("--kv-events-config", "--server-kv-events-topic");
    assertThatThrownBy(() -> withPresets(List.of("precise", "precise")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPreciseRunIsCountedFromThePickersMetricsAndFailsWithoutEvents() {
    String before =
        """
        # TYPE igw_kv_events_batches_total counter
        igw_kv_events_batches_total{plugin="precise-prefix-cache-producer"} 10.0
        igw_kv_events_batches_total_other 99.0
        igw_kv_index_entries{plugin="precise-prefix-cache-producer"} 5.0
        igw_precise_prefix_picks_total{match="events",plugin="precise-prefix-cache-producer"} 3.0
        igw_precise_prefix_picks_total{match="no_tokens",plugin="precise-prefix-cache-producer"} 1.0
        igw_precise_prefix_picks_total{match="no_events",plugin="precise-prefix-cache-producer"} 0.0
        """;
    String after =
        before
            .replace("} 10.0", "} 250.0")
            .replace(
                "entries{plugin=\"precise-prefix-cache-producer\"} 5.0",
                "entries{plugin=\"precise-prefix-cache-producer\"} 900.0")
            .replace(
                "match=\"events\",plugin=\"precise-prefix-cache-producer\"} 3.0",
                "match=\"events\",plugin=\"precise-prefix-cache-producer\"} 40.0");

    PreciseRoutingCounts run =
        PreciseRoutingCounts.parse(after).since(PreciseRoutingCounts.parse(before));

    assertThat(run).isEqualTo(new PreciseRoutingCounts(240, 900, 37, 0, 0));
    run.requirePrecise("precise", "/tmp/logs");
    assertThatThrownBy(
            () ->
                PreciseRoutingCounts.parse(before)
                    .since(PreciseRoutingCounts.parse(before))
                    .requirePrecise("precise", "/tmp/logs"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("received no KV event batch");
    assertThatThrownBy(
            () -> new PreciseRoutingCounts(5, 0, 0, 7, 0).requirePrecise("precise", "/tmp/logs"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("matched no pick on them (7 picks without tokens");
    // a picker without the precise producer has none of these series
    assertThat(PreciseRoutingCounts.parse("up 1.0\n").batches()).isZero();
  }
}
