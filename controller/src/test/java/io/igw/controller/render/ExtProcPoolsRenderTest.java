package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.controller.ConfigPipeline;
import io.igw.controller.ControllerMain;
import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxConfigCheck;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.graph.AllowListValidator;
import io.igw.controller.graph.GraphBuilder;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.ResponsePhase;
import io.igw.controller.model.RuntimeSettings;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pools that need ext_proc or HTTP/2: a pool whose endpointPickerRef names a foreign EPP Service is
 * picked through the picker's bridge (picker "bridge" in $igw_route); a kubernetes.io/h2c pool is
 * proxied with grpc_pass (h2c prior knowledge); EPP request headers come from a configurable list.
 * Checked by key substrings and nginx -t.
 */
class ExtProcPoolsRenderTest {
  static final String YAML =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: igw}
      spec: {controllerName: igw.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec: {gatewayClassName: igw, listeners: [{name: http, protocol: HTTP, port: 80}]}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: r, namespace: default}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /foreign}}]
          backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: foreign}]
        - matches: [{path: {type: PathPrefix, value: /h2c}}]
          filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-tenant, value: a}]}}]
          backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: h2c}]
      ---
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: foreign, namespace: default}
      spec:
        selector: {matchLabels: {app: a}}
        targetPorts: [{number: 3000}]
        endpointPickerRef: {name: test-epp, port: {number: 9002}, failureMode: FailOpen}
      ---
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: h2c, namespace: default}
      spec:
        selector: {matchLabels: {app: a}}
        targetPorts: [{number: 3001}]
        appProtocol: kubernetes.io/h2c
        endpointPickerRef: {name: igw-picker, port: {number: 9002}, failureMode: FailOpen}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: test-epp, namespace: default}
      spec: {clusterIP: 10.96.0.10, ports: [{port: 9002}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: a-0, namespace: default, labels: {app: a}}
      status: {podIP: 10.0.0.5, conditions: [{type: Ready, status: "True"}]}
      """;

  @Test
  void bridgedAndH2cPoolsRenderAndPassNginxT() throws Exception {
    NginxBinary nginx =
        NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-extproc-")).create();
    RuntimeSettings settings =
        RuntimeSettings.builder()
            .prefix(prefix.root().toString())
            .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString())
            .njsDir(Fixtures.repo("njs").toString())
            .pickerAddress("127.0.0.1:9001")
            .listenAddress("127.0.0.1")
            .bodyLimitBytes(1024 * 1024)
            .workerProcesses(1)
            .pickTimeoutMs(5000)
            .completionFeed("127.0.0.1:9514")
            .eppRequestHeaders(List.of("X-Echo-Set-Header", "x-tenant-id"))
            .build();
    var pipeline =
        new ConfigPipeline(
            new GraphBuilder(
                ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker"),
            new GatewayModelBuilder(),
            new NginxConfigRenderer(Fixtures.repo("nginx-conf")),
            new NginxConfigCheck(nginx));
    var outcome = pipeline.run(Fixtures.snapshot(YAML), settings, null, prefix);

    assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
    String conf = Files.readString(prefix.conf());
    assertThat(conf)
        .contains("\"pool\":\"default/foreign\",\"picker\":\"bridge\",\"failureMode\":\"FailOpen\"")
        .contains("\"pool\":\"default/h2c\",\"picker\":\"in-process\",\"failureMode\":\"FailOpen\"")
        .contains("js_var $igw_set_x_tenant_id;")
        .contains("\"\"      $http_x_tenant_id;")
        .contains("proxy_set_header X-Echo-Set-Header $igw_hdr_x_echo_set_header;")
        .contains("grpc_pass grpc://$igw_upstream;")
        .contains("grpc_set_header x-tenant \"a\";")
        .contains("grpc_set_header x-tenant-id $igw_hdr_x_tenant_id;")
        .contains("grpc_pass grpc://igw_pool_1_fallback;")
        .contains("grpc_pass grpc://$igw_endpoint;")
        .contains("\"code\":\"rewrite_unsupported\"");
  }

  @Test
  void relayModeSendsOnlyBridgedPoolsThroughThePickersRelay() throws Exception {
    NginxBinary nginx =
        NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-relay-")).create();
    RuntimeSettings settings =
        RuntimeSettings.builder()
            .prefix(prefix.root().toString())
            .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString())
            .njsDir(Fixtures.repo("njs").toString())
            .pickerAddress("127.0.0.1:9001")
            .listenAddress("127.0.0.1")
            .bodyLimitBytes(1024 * 1024)
            .workerProcesses(1)
            .pickTimeoutMs(5000)
            .completionFeed("127.0.0.1:9514")
            .eppRequestHeaders(List.of("X-Echo-Set-Header"))
            .upstreamTimeoutMs(45_000)
            .responsePhase(ResponsePhase.relay("127.0.0.1:9003", 64))
            .build();
    var outcome = pipeline(nginx).run(Fixtures.snapshot(YAML), settings, null, prefix);

    assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
    String conf = Files.readString(prefix.conf());
    assertThat(conf)
        .contains("server 127.0.0.1:9003 max_fails=0 max_conns=64;")
        .contains("log_format igw_relay_completion escape=json")
        .contains("\"endpoint\":\"$upstream_http_x_igw_relay_served\"")
        .contains("location @igw_relay_unavailable {")
        .contains("\"code\":\"relay_unavailable\"");
    for (String location : List.of("location @igw_rule_0 {", "location @igw_rule_0_rewrite {")) {
      assertThat(block(conf, location))
          .as(location)
          .contains("proxy_pass http://igw_relay;")
          .contains("proxy_set_header x-igw-request-id $request_id;")
          .contains("proxy_set_header x-igw-relay-pool \"default/foreign\";")
          .contains("proxy_set_header x-igw-relay-endpoints \"$igw_endpoint,$igw_endpoints\";")
          .contains("proxy_set_header x-igw-relay-timeout-ms \"45000\";")
          .contains("proxy_set_header X-Echo-Set-Header $igw_hdr_x_echo_set_header;")
          .contains("proxy_hide_header x-igw-relay-served;")
          .contains("proxy_buffering off;")
          .contains("proxy_read_timeout 45000ms;")
          .contains("error_page 502 = @igw_relay_unavailable;")
          .contains("igw_relay_completion;")
          .doesNotContain("proxy_pass http://$igw_upstream;");
    }
    assertThat(block(conf, "location @igw_rule_0_rewrite {")).contains("proxy_set_body $igw_body;");
    // the in-process pool keeps the direct path
    assertThat(block(conf, "location @igw_rule_1 {"))
        .contains("grpc_pass grpc://$igw_upstream;")
        .doesNotContain("igw_relay");
  }

  @Test
  void reportModeRendersNoRelay() throws Exception {
    String conf = Fixtures.render(Fixtures.snapshot(YAML));
    assertThat(conf)
        .contains("\"pool\":\"default/foreign\",\"picker\":\"bridge\",\"failureMode\":\"FailOpen\"")
        .doesNotContain("igw_relay")
        .doesNotContain("x-igw-relay-");
  }

  @Test
  void theRelayAddressIsValidated() {
    assertThatThrownBy(() -> ResponsePhase.relay("127.0.0.1:9003; evil", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResponsePhase.relay("127.0.0.1:9003", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResponsePhase.Mode.parse("both"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ConfigPipeline pipeline(NginxBinary nginx) {
    return new ConfigPipeline(
        new GraphBuilder(ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker"),
        new GatewayModelBuilder(),
        new NginxConfigRenderer(Fixtures.repo("nginx-conf")),
        new NginxConfigCheck(nginx));
  }

  /**
   * The text of one block that holds no other block, from its opening line to its closing brace.
   */
  private static String block(String conf, String opening) {
    int start = conf.indexOf(opening);
    assertThat(start).as(opening).isNotNegative();
    return conf.substring(start, conf.indexOf('}', start) + 1);
  }

  @Test
  void eppHeaderNamesAreValidated() {
    assertThatThrownBy(
            () ->
                RuntimeSettings.builder()
                    .prefix("/p")
                    .njsDir("/n")
                    .pickerAddress("127.0.0.1:1")
                    .listenAddress("127.0.0.1")
                    .bodyLimitBytes(1)
                    .workerProcesses(1)
                    .pickTimeoutMs(1)
                    .eppRequestHeaders(List.of("X-Ok", "bad header;"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
