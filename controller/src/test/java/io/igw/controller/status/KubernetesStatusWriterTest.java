package io.igw.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesStatusWriterTest {
  private static final String OLD = "2020-01-01T00:00:00Z";

  @ParameterizedTest
  @CsvSource({
    "GatewayClass, gatewayclasses",
    "Gateway, gateways",
    "HTTPRoute, httproutes",
    "InferencePool, inferencepools",
    "TokenRateLimitPolicy, tokenratelimitpolicies"
  })
  void pluralsAreTheApiServers(String kind, String plural) {
    assertThat(KubernetesStatusWriter.plural(kind)).isEqualTo(plural);
  }

  /** Each ancestor keeps its own time: a flip of one does not borrow the other's. */
  @Test
  void aConditionKeepsItsTimeOnlyWhenItsOwnStatusDidNotChange() {
    Map<String, Object> current =
        Map.of(
            "ancestors",
            List.of(ancestor("a", "True", OLD), ancestor("b", "False", "2021-01-01T00:00:00Z")));
    Map<String, Object> desired =
        Map.of("ancestors", List.of(ancestor("b", "True", null), ancestor("a", "True", null)));

    Map<String, Object> stamped = KubernetesStatusWriter.withTransitionTimes(desired, current);

    assertThat(timeOf(stamped, 0)).isNotIn(OLD, "2021-01-01T00:00:00Z"); // b flipped: now
    assertThat(timeOf(stamped, 1)).isEqualTo(OLD); // a unchanged
  }

  private static Map<String, Object> ancestor(String name, String status, String time) {
    Map<String, Object> condition =
        new java.util.LinkedHashMap<>(
            Map.of("type", "Accepted", "status", status, "reason", "Accepted", "message", "m"));
    if (time != null) {
      condition.put("lastTransitionTime", time);
    }
    return Map.of(
        "ancestorRef",
        Map.of("kind", "HTTPRoute", "name", name),
        "controllerName",
        "igw.io/gateway-controller",
        "conditions",
        List.of(condition));
  }

  @SuppressWarnings("unchecked")
  private static String timeOf(Map<String, Object> status, int ancestor) {
    Map<String, Object> entry = ((List<Map<String, Object>>) status.get("ancestors")).get(ancestor);
    return (String)
        ((List<Map<String, Object>>) entry.get("conditions")).get(0).get("lastTransitionTime");
  }
}
