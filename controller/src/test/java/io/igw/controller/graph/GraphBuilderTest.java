package io.igw.controller.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.igw.controller.Fixtures;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
  static Graph graph;

  @BeforeAll
  static void build() throws Exception {
    graph = Fixtures.graph(Fixtures.fixture("two-gateways.yaml"));
  }

  static String condition(List<Condition> conditions, String type) {
    return Fixtures.condition(conditions, type);
  }

  @Test
  void onlyOurClassesAndGateways() {
    assertThat(graph.classes()).containsOnlyKeys("igw");
    assertThat(graph.gateways()).containsOnlyKeys("default/primary", "default/secondary");
  }

  @Test
  void unsupportedListenerIsNotAcceptedButTheGatewayIsProgrammed() {
    var primary = graph.gateways().get("default/primary");
    var tcp =
        primary.listeners().stream().filter(l -> l.name().equals("tcp")).findFirst().orElseThrow();
    assertThat(tcp.valid()).isFalse();
    assertThat(condition(tcp.conditions(), "Accepted")).isEqualTo("False/UnsupportedProtocol");
    assertThat(condition(primary.conditions(), "Programmed")).isEqualTo("True/Programmed");
  }

  @Test
  void crossNamespaceRouteAttachesWhereAllowed() {
    var route = graph.routes().get("team-a/llm");
    assertThat(route.parents())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.accepted()).isTrue();
              assertThat(p.listeners()).containsExactly("http");
              assertThat(condition(p.conditions(), "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
              assertThat(p.conditions()).allMatch(c -> c.getObservedGeneration() == 3L);
            });
    assertThat(graph.gateways().get("default/primary").listeners().get(0).attachedRoutes())
        .isEqualTo(1);
  }

  @Test
  void sameNamespaceListenerRefusesOtherNamespaces() {
    var route = graph.routes().get("team-a/same-ns-only");
    assertThat(route.parents())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.accepted()).isFalse();
              assertThat(condition(p.conditions(), "Accepted"))
                  .isEqualTo("False/NotAllowedByListeners");
            });
  }

  @Test
  void weightedBackendsAcrossNamespacesWithAReferenceGrant() {
    var rule = graph.routes().get("team-a/llm").rules().get(0);
    assertThat(rule.backends())
        .extracting(Graph.BackendNode::poolKey, Graph.BackendNode::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("team-a/chat", 90),
            org.assertj.core.groups.Tuple.tuple("models/canary", 10));
  }

  @Test
  void poolsKnowTheirParentsEndpointsAndPicker() {
    var chat = graph.pools().get("team-a/chat");
    assertThat(chat.endpoints()).containsExactly("127.0.10.1:8000", "127.0.10.1:8001");
    assertThat(chat.failOpen()).isTrue();
    assertThat(chat.pickerAvailable()).isTrue();
    assertThat(chat.parents()).containsExactly("default/primary");
    var canary = graph.pools().get("models/canary");
    assertThat(condition(canary.conditions(), "Accepted")).isEqualTo("True/Accepted");
    var local = graph.pools().get("default/local");
    assertThat(local.pickerAvailable()).isFalse();
    assertThat(condition(local.conditions(), "ResolvedRefs"))
        .isEqualTo("False/InvalidExtensionRef");
  }

  @Test
  void crossNamespaceRefWithoutGrantIsNotPermitted() {
    var graph =
        Fixtures.graph(
            Fixtures.snapshot(
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
          rules: [{backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: p, namespace: other}]}]
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: p, namespace: other}
        spec: {selector: {matchLabels: {a: b}}, targetPorts: [{number: 8000}]}
        """));
    var parent = graph.routes().get("default/r").parents().get(0);
    assertThat(condition(parent.conditions(), "Accepted")).isEqualTo("True/Accepted");
    assertThat(condition(parent.conditions(), "ResolvedRefs")).isEqualTo("False/RefNotPermitted");
    assertThat(graph.pools()).isEmpty();
  }
}
