package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.Fixtures;
import io.igw.controller.model.RuntimeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxConfigRendererTest {

  /**
   * The whole file's shape matters here: regenerate with -Digw.updateGolden=true and review the
   * diff.
   */
  @Test
  void rendersTheFixtureLikeTheGoldenFile() throws Exception {
    String rendered = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    Path golden =
        Fixtures.repo("controller").resolve("src/test/resources/golden/two-gateways.nginx.conf");
    if (Boolean.getBoolean("igw.updateGolden")) {
      Files.writeString(golden, rendered);
    }
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }

  @Test
  void keySettingsAreRendered() throws Exception {
    String conf = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    assertThat(conf)
        .contains("listen 127.0.0.1:80 default_server;")
        .contains("server_name secondary.example.com;")
        .contains(
            "set $igw_route '{\"version\":1,\"rules\":[{\"backends\":["
                + "{\"weight\":90,\"location\":\"@igw_rule_0\",\"pool\":\"team-a/chat\",\"picker\":\"in-process\","
                + "\"failureMode\":\"FailOpen\"},"
                + "{\"weight\":10,\"location\":\"@igw_rule_1\",\"pool\":\"models/canary\",\"picker\":\"in-process\","
                + "\"failureMode\":\"FailClose\"}]}]}';")
        .contains("return 301 \"$scheme://$host/v1/models\";")
        .contains("proxy_set_header x-tenant \"team-a\";")
        .contains("proxy_set_header x-trace \"${igw_append_x_trace}igw\";")
        .contains("proxy_set_header x-debug \"\";")
        .contains("rewrite ^/api(/.*)?$ /v1$1 break;")
        .contains("upstream igw_pool_2_fallback {")
        .doesNotContain("upstream igw_pool_1_fallback {")
        .contains("least_conn;")
        .contains("client_body_buffer_size 1048576;")
        .contains("proxy_buffering off;")
        .contains("js_var $igw_ratelimit_remaining_tokens;")
        .contains("add_header x-ratelimit-remaining-tokens $igw_ratelimit_remaining_tokens always;")
        .contains("add_header x-ratelimit-reset-requests $igw_ratelimit_reset_requests always;")
        .doesNotContain("127.0.10.2");
  }

  @Test
  void eachPoolsEndpointsAreTheOnlyOnesItsPickerMayName() throws Exception {
    String conf = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    assertThat(conf)
        .contains(
            "map $igw_pick_check $igw_pick_allowed {\n        volatile;\n        default 0;\n")
        .containsPattern("\"team-a/chat 127\\.0\\.\\d+\\.\\d+:\\d+\" 1;")
        .contains("js_var $igw_pick_check;");
  }

  @Test
  void upstreamErrorAnswersAreNotIntercepted() throws Exception {
    String conf = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    assertThat(conf)
        .contains("proxy_intercept_errors off;")
        .doesNotContain("proxy_intercept_errors on;")
        .doesNotContain("grpc_intercept_errors on;");
  }

  @Test
  void pickerConcurrencyAndPerClientConnectionsAreCapped() throws Exception {
    String conf = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    assertThat(conf)
        .contains("zone igw_picker 64k;")
        .contains("server 127.0.0.1:9001 max_fails=0 max_conns=128;")
        .contains("limit_conn_zone $binary_remote_addr zone=igw_per_client:10m;")
        .contains("limit_conn igw_per_client 64;")
        .contains("error_page 429 = @igw_too_many;");
  }

  @Test
  void perClientLimitZeroRendersNoLimit() throws Exception {
    var settings = Fixtures.SETTINGS.toBuilder().pickerMaxConns(8).connectionsPerClient(0).build();
    String conf = Fixtures.render(Fixtures.fixture("two-gateways.yaml"), settings);
    assertThat(conf).contains("max_conns=8;").doesNotContain("limit_conn");
  }

  @Test
  void tokenUsageIsReadWithTheCompletionFeedUnlessTurnedOff() throws Exception {
    String on = Fixtures.render(Fixtures.fixture("two-gateways.yaml"));
    assertThat(on)
        .contains("js_import usage from usage.js;")
        .contains("js_var $igw_strip_usage;")
        .contains("js_set $igw_usage_completion usage.completion;")
        .contains("js_body_filter usage.filter buffer_type=buffer;")
        .contains("\"usage_completion\":\"$igw_usage_completion\"")
        .contains("proxy_set_header x-igw-usage-filter \"1\";");
    for (RuntimeSettings off :
        java.util.List.of(
            Fixtures.SETTINGS.toBuilder().tokenUsage(false).build(),
            Fixtures.SETTINGS.toBuilder().completionFeed(null).build())) {
      assertThat(Fixtures.render(Fixtures.fixture("two-gateways.yaml"), off))
          .doesNotContain("js_body_filter")
          .doesNotContain("$igw_usage_")
          .contains("js_var $igw_strip_usage;")
          .contains("proxy_set_header x-igw-usage-filter \"\";");
    }
  }
}
