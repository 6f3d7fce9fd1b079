package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.model.FailureMode;
import io.igw.controller.model.MatchConditions;
import io.igw.controller.model.PickerMode;
import io.igw.controller.model.PoolBlock;
import io.igw.controller.model.Redirect;
import io.igw.controller.model.RouteCandidate;
import io.igw.controller.model.RouteLocation;
import io.igw.controller.model.RuleBlock;
import io.igw.controller.model.WeightedBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The producer's side of docs/njs-contract.md; njs/test and the e2e NjsContractThroughNginxTest
 * read it back.
 */
class NjsValuesTest {
  private static final PoolBlock POOL =
      new PoolBlock(
          "igw_pool_0",
          "team-a/chat",
          FailureMode.FAIL_OPEN,
          PickerMode.BRIDGE,
          false,
          true,
          List.of());
  private static final MatchConditions ANY = new MatchConditions(null, Map.of(), Map.of());

  @Test
  void anUnconditionalLocationHasOneRuleWithoutConditions() {
    var location =
        new RouteLocation(
            false,
            "/v1/",
            List.of(
                new RouteCandidate(
                    ANY,
                    List.of(
                        new WeightedBackend(90, new RuleBlock("igw_rule_0", POOL, List.of(), null)),
                        new WeightedBackend(10, null)),
                    null)));
    assertThat(NjsValues.route(location))
        .isEqualTo(
            "{\"version\":1,\"rules\":[{\"backends\":["
                + "{\"weight\":90,\"location\":\"@igw_rule_0\",\"pool\":\"team-a/chat\",\"picker\":\"bridge\","
                + "\"failureMode\":\"FailOpen\"},{\"weight\":10}]}]}");
  }

  @Test
  void conditionsAndRedirectsKeepOnlyTheirSetParts() {
    var location =
        new RouteLocation(
            true,
            "/x",
            List.of(
                new RouteCandidate(
                    new MatchConditions("POST", Map.of("x-b", "2", "x-a", "1"), Map.of("v", "2")),
                    List.of(),
                    new Redirect(302, null, "other.example.com", null, "/new")),
                new RouteCandidate(ANY, List.of(), null)));
    assertThat(NjsValues.route(location))
        .isEqualTo(
            "{\"version\":1,\"rules\":["
                + "{\"when\":{\"method\":\"POST\",\"headers\":{\"x-a\":\"1\",\"x-b\":\"2\"},\"query\":{\"v\":\"2\"}},"
                + "\"redirect\":{\"status\":302,\"host\":\"other.example.com\",\"path\":\"/new\"}},{\"backends\":[]}]}");
  }

  @Test
  void noDollarReachesNginxWhichWouldExpandIt() {
    var location =
        new RouteLocation(
            false,
            "/",
            List.of(
                new RouteCandidate(
                    new MatchConditions(null, Map.of("x-cost", "$5 ${host}"), Map.of()),
                    List.of(),
                    null)));
    assertThat(NjsValues.route(location))
        .doesNotContain("$")
        .contains("\"x-cost\":\"\\u00245 \\u0024{host}\"");
  }

  @Test
  void theContractNamesOfEveryPickerAndFailureMode() {
    assertThat(List.of(PickerMode.values()).stream().map(NjsValues::picker))
        .containsExactly("in-process", "bridge", "unavailable");
    assertThat(List.of(FailureMode.values()).stream().map(NjsValues::failureMode))
        .containsExactly("FailOpen", "FailClose");
    assertThat(NjsValues.poolEndpointKey("ns/p", "127.0.10.1:8000"))
        .isEqualTo("ns/p 127.0.10.1:8000");
  }
}
