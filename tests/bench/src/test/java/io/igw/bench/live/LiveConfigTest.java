package io.igw.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

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
}
