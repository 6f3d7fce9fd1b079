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
import io.igw.controller.model.RuntimeSettings;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pools that need ext_proc or HTTP/2: a pool whose endpointPickerRef names a foreign EPP Service is picked through
 * the picker's bridge ("bridge" in $igw_backends); a kubernetes.io/h2c pool is proxied with grpc_pass (h2c prior
 * knowledge); EPP request headers come from a configurable list. Checked by key substrings and nginx -t.
 */
class ExtProcPoolsRenderTest {
  static final String YAML = """
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
    NginxBinary nginx = NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-extproc-")).create();
    RuntimeSettings settings = RuntimeSettings.builder().prefix(prefix.root().toString())
        .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString()).njsDir(Fixtures.repo("njs").toString())
        .pickerAddress("127.0.0.1:9001").listenAddress("127.0.0.1").bodyLimitBytes(1024 * 1024).workerProcesses(1)
        .pickTimeoutMs(5000).completionFeed("127.0.0.1:9514")
        .eppRequestHeaders(List.of("X-Echo-Set-Header", "x-tenant-id")).build();
    var pipeline = new ConfigPipeline(
        new GraphBuilder(ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker"),
        new GatewayModelBuilder(), new NginxConfigRenderer(Fixtures.repo("nginx-conf")), new NginxConfigCheck(nginx));
    var outcome = pipeline.run(Fixtures.snapshot(YAML), settings, null, prefix);

    assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
    String conf = Files.readString(prefix.conf());
    assertThat(conf)
        .contains("FailOpen default/foreign bridge\"")
        .contains("FailOpen default/h2c in-process\"")
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
  void eppHeaderNamesAreValidated() {
    assertThatThrownBy(() -> RuntimeSettings.builder().prefix("/p").njsDir("/n").pickerAddress("127.0.0.1:1")
        .listenAddress("127.0.0.1").bodyLimitBytes(1).workerProcesses(1).pickTimeoutMs(1)
        .eppRequestHeaders(List.of("X-Ok", "bad header;")).build()).isInstanceOf(IllegalArgumentException.class);
  }
}
