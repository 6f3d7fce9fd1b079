package io.igw.controller.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which servers get the gateway's own {@code /v1/models}, and the pools each lists: those its route
 * locations reach, per host name.
 */
class ModelListRouteTest {
  static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: igw}
      spec: {controllerName: igw.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec:
        gatewayClassName: igw
        listeners:
        - {name: a, protocol: HTTP, port: 80, hostname: a.example.com}
        - {name: b, protocol: HTTP, port: 80, hostname: b.example.com}
        - {name: idle, protocol: HTTP, port: 80, hostname: idle.example.com}
      """;

  static String pool(String name) {
    return """
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          targetPorts: [{number: 8000}]
        """
        .formatted(name, name);
  }

  static String route(String name, String listener, String rules) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: default}
        spec:
          parentRefs: [{name: gw, sectionName: %s}]
          rules:
        %s
        """
        .formatted(name, listener, rules.indent(2));
  }

  static String backend(String pool) {
    return "backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: "
        + pool
        + "}]";
  }

  static final String YAML =
      GATEWAY
          + pool("chat")
          + pool("code")
          + pool("secret")
          + route(
              "a",
              "a",
              """
              - matches: [{path: {type: PathPrefix, value: /v1/chat}}]
                %s
              - matches: [{path: {type: PathPrefix, value: /v1/completions}, headers: [{name: x-code, value: "1"}]}]
                %s
              """
                  .formatted(backend("chat"), backend("code")))
          + route("b", "b", "- " + backend("secret"));

  @Test
  void eachHostListsThePoolsItsRoutesReachAndAHostWithoutRoutesListsNothing() {
    Map<String, ModelListRoute> byHost = byHost(YAML);
    assertThat(byHost.get("a.example.com"))
        .isEqualTo(new ModelListRoute(List.of("default/chat", "default/code"), true, true));
    assertThat(byHost.get("b.example.com"))
        .isEqualTo(new ModelListRoute(List.of("default/secret"), true, true));
    assertThat(byHost.get("idle.example.com")).isNull();
  }

  @Test
  void aRouteOfTheHostsOwnForThePathKeepsIt() {
    String exactList =
        YAML
            + route(
                "own-list",
                "b",
                "- matches: [{path: {type: Exact, value: /v1/models}}]\n  " + backend("chat"));
    assertThat(byHost(exactList).get("b.example.com"))
        .isEqualTo(new ModelListRoute(List.of("default/chat", "default/secret"), false, true));
    String prefix =
        YAML
            + route(
                "own-all",
                "b",
                "- matches: [{path: {type: PathPrefix, value: /v1/models}}]\n  " + backend("chat"));
    assertThat(byHost(prefix).get("b.example.com")).isNull();
    // a more specific path leaves both to the gateway: NGINX's location order serves it first
    String deeper =
        YAML
            + route(
                "own-one",
                "b",
                "- matches: [{path: {type: PathPrefix, value: /v1/models/mine}}]\n  "
                    + backend("chat"));
    assertThat(byHost(deeper).get("b.example.com").list()).isTrue();
    assertThat(byHost(deeper).get("b.example.com").byId()).isTrue();
  }

  @Test
  void theRenderedLocationsPassNginxTWithAndWithoutARouteOfTheirOwn() throws Exception {
    NginxBinary nginx = Fixtures.nginx();
    for (String yaml :
        List.of(
            YAML,
            YAML
                + route(
                    "own-list",
                    "b",
                    "- matches: [{path: {type: Exact, value: /v1/models}}]\n  "
                        + backend("chat")))) {
      NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-models-")).create();
      var outcome =
          Fixtures.pipeline(nginx)
              .run(
                  Fixtures.snapshot(yaml),
                  Fixtures.settings(nginx, prefix, "127.0.0.1:9514"),
                  null,
                  prefix);
      assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
      String conf = Files.readString(prefix.conf());
      assertThat(conf)
          .contains("proxy_set_header x-igw-models-pools \"default/chat,default/code\";")
          .contains("proxy_pass http://igw_picker/models/;")
          .contains("proxy_pass_request_headers off;");
    }
  }

  private static Map<String, ModelListRoute> byHost(String yaml) {
    return Fixtures.model(Fixtures.snapshot(yaml)).servers().stream()
        .filter(s -> !s.serverNames().equals("_"))
        .collect(
            Collectors.toMap(
                ServerBlock::serverNames, s -> s.modelList() == null ? NONE : s.modelList()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() != NONE)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static final ModelListRoute NONE = new ModelListRoute(List.of(), false, false);
}
