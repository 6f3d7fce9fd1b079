package io.igw.e2e;

import io.igw.api.net.TestPorts;
import io.igw.e2e.EchoServer.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The upstream conformance suite's base resources (conformance/resources/base.yaml and the tests'
 * manifests) in local mode: gateways {@code conformance-primary} and {@code conformance-secondary}
 * (hostname secondary.example.com), four deployments of three echo pods on loopback addresses, one
 * test EPP per pool family (TLS, self-signed) behind a Service whose clusterIP is 127.0.0.1, and
 * the pools the tests route to. Ports stand for upstream's: {@link #port3000} (HTTP/1.1), {@link
 * #port3001} (h2c only, on the appProtocol pods), {@link #port3002} and {@link #port3004} (the
 * data-parallel ranks).
 */
final class ConformanceFixture {
  static final String PRIMARY = "conformance-primary";
  static final String SECONDARY = "conformance-secondary";

  /**
   * The request header upstream's test EPP turns into the echo backend's served-endpoint response
   * header.
   */
  static final List<String> EPP_REQUEST_HEADERS = List.of(EchoServer.SET_HEADER);

  final int primaryPort;
  final int secondaryPort;
  final int port3000;
  final int port3001;
  final int port3002;
  final int port3004;
  final int gonePort;
  TestEpp primaryEpp;
  TestEpp secondaryEpp;
  TestEpp dpEpp;
  TestEpp appProtocolEpp;

  /** A deployment's pods: {@code <app>-<i>} on {@code 127.0.0.<first + i>}. */
  enum Deployment {
    PRIMARY("primary", 41),
    SECONDARY("secondary", 44),
    DP("dp", 47),
    APP_PROTOCOL("appprotocol", 50);

    final String app;
    final int first;

    Deployment(String app, int first) {
      this.app = app;
      this.first = first;
    }

    String ip(int i) {
      return "127.0.0." + (first + i);
    }

    String pod(int i) {
      return app + "-" + i;
    }

    List<String> ips() {
      return List.of(ip(0), ip(1), ip(2));
    }
  }

  ConformanceFixture() {
    primaryPort = TestPorts.take();
    secondaryPort = TestPorts.take();
    port3000 = TestPorts.take();
    port3001 = TestPorts.take();
    port3002 = TestPorts.take();
    port3004 = TestPorts.take();
    gonePort = TestPorts.take();
  }

  void start(LocalModeStack stack) throws Exception {
    for (int i = 0; i < 3; i++) {
      echo(stack, Deployment.PRIMARY, i, port3000, Protocol.HTTP1_ONLY);
      echo(stack, Deployment.SECONDARY, i, port3000, Protocol.HTTP1_ONLY);
      for (int port : List.of(port3000, port3002, port3004)) {
        echo(stack, Deployment.DP, i, port, Protocol.HTTP1_ONLY);
      }
      echo(stack, Deployment.APP_PROTOCOL, i, port3000, Protocol.HTTP1_ONLY);
      echo(stack, Deployment.APP_PROTOCOL, i, port3001, Protocol.H2C_ONLY);
    }
    primaryEpp = epp(stack, endpoints(Deployment.PRIMARY, port3000));
    secondaryEpp = epp(stack, endpoints(Deployment.SECONDARY, port3000));
    dpEpp = epp(stack, endpoints(Deployment.DP, port3000, port3002, port3004));
    appProtocolEpp = epp(stack, endpoints(Deployment.APP_PROTOCOL, port3000, port3001));
    for (String pool :
        List.of("primary", "secondary", "dp", "appprotocol-h2c", "appprotocol-http")) {
      stack.extProc.addInsecurePool("default/" + pool);
    }
    stack.extProc.setPickTimeoutMs(1500);
    stack.write("00-gateways.yaml", gateways());
    stack.write("01-pools.yaml", pools());
  }

  private static void echo(LocalModeStack stack, Deployment d, int i, int port, Protocol protocol)
      throws Exception {
    EchoServer.start(stack.vertx, d.ip(i), port, d.pod(i), protocol)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static TestEpp epp(LocalModeStack stack, List<String> endpoints) throws Exception {
    return TestEpp.start(stack.vertx, endpoints)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static List<String> endpoints(Deployment d, int... ports) {
    List<String> out = new ArrayList<>();
    for (String ip : d.ips()) {
      for (int port : ports) {
        out.add(ip + ":" + port);
      }
    }
    return out;
  }

  private String gateways() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: igw}
        spec: {controllerName: igw.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: conformance-primary, namespace: default}
        spec:
          gatewayClassName: igw
          listeners: [{name: http, protocol: HTTP, port: %d, allowedRoutes: {namespaces: {from: All}}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: conformance-secondary, namespace: default}
        spec:
          gatewayClassName: igw
          listeners:
          - {name: http, protocol: HTTP, port: %d, hostname: secondary.example.com,
             allowedRoutes: {namespaces: {from: All}}}
        """
        .formatted(primaryPort, secondaryPort);
  }

  private String pools() {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        pool("primary", "primary", List.of(port3000), "", "primary-epp", primaryEpp.port(), ""));
    yaml.append(
        pool(
            "secondary",
            "secondary",
            List.of(port3000),
            "",
            "secondary-epp",
            secondaryEpp.port(),
            "failureMode: FailOpen"));
    yaml.append(
        pool("dp", "dp", List.of(port3000, port3002, port3004), "", "dp-epp", dpEpp.port(), ""));
    yaml.append(
        pool(
            "appprotocol-h2c",
            "appprotocol",
            List.of(port3001),
            "appProtocol: kubernetes.io/h2c",
            "appprotocol-epp",
            appProtocolEpp.port(),
            ""));
    yaml.append(
        pool(
            "appprotocol-http",
            "appprotocol",
            List.of(port3000),
            "appProtocol: http",
            "appprotocol-epp",
            appProtocolEpp.port(),
            ""));
    yaml.append(
        pool("pool-with-invalid-epp", "primary", List.of(port3000), "", "no-such-epp", 9002, ""));
    yaml.append(
        """
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: pool-with-missing-epp-ref, namespace: default}
        spec:
          selector: {matchLabels: {app: primary}}
          targetPorts: [{number: %d}]
        """
            .formatted(port3000));
    for (String mode : List.of("FailOpen", "FailClose")) {
      yaml.append(
          pool(
              mode.equals("FailOpen") ? "gone-open" : "gone-close",
              "primary",
              List.of(port3000),
              "",
              "gone-epp",
              gonePort,
              "failureMode: " + mode));
    }
    yaml.append(service("primary-epp", primaryEpp.port()))
        .append(service("secondary-epp", secondaryEpp.port()))
        .append(service("dp-epp", dpEpp.port()))
        .append(service("appprotocol-epp", appProtocolEpp.port()))
        .append(service("gone-epp", gonePort));
    for (Deployment d : Deployment.values()) {
      for (int i = 0; i < 3; i++) {
        yaml.append(
            """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: %s, namespace: default, labels: {app: %s}}
            status: {podIP: %s, conditions: [{type: Ready, status: "True"}]}
            """
                .formatted(d.pod(i), d.app, d.ip(i)));
      }
    }
    return yaml.toString();
  }

  private static String pool(
      String name,
      String app,
      List<Integer> ports,
      String appProtocol,
      String epp,
      int eppPort,
      String failureMode) {
    String targetPorts = String.join(", ", ports.stream().map(p -> "{number: " + p + "}").toList());
    return """
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          targetPorts: [%s]
          %s
          endpointPickerRef: {name: %s, port: {number: %d}%s}
        """
        .formatted(
            name,
            app,
            targetPorts,
            appProtocol,
            epp,
            eppPort,
            failureMode.isEmpty() ? "" : ", " + failureMode);
  }

  private static String service(String name, int port) {
    return """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """
        .formatted(name, port);
  }

  /** An HTTPRoute on one gateway; {@code hostnames} may be empty. */
  static String route(String name, String gateway, List<String> hostnames, String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: default}
        spec:
          parentRefs: [{name: %s, sectionName: http}]
          hostnames: [%s]
          rules:
        %s"""
        .formatted(name, gateway, String.join(", ", hostnames), rules);
  }

  /** One rule: a path prefix (null: none) to one pool, optionally with a backendRef port. */
  static String rule(String pathPrefix, String pool, Integer port) {
    String match =
        pathPrefix == null
            ? ""
            : "matches: [{path: {type: PathPrefix, value: " + pathPrefix + "}}]\n    ";
    return "  - "
        + match
        + "backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: "
        + pool
        + (port == null ? "" : ", port: " + port)
        + "}]\n";
  }
}
