package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.model.FailureMode;
import io.igw.controller.model.HeaderChange;
import io.igw.controller.model.MatchConditions;
import io.igw.controller.model.PickerMode;
import io.igw.controller.model.PoolBlock;
import io.igw.controller.model.Redirect;
import io.igw.controller.model.RouteCandidate;
import io.igw.controller.model.RouteLocation;
import io.igw.controller.model.RuleBlock;
import io.igw.controller.model.UrlRewrite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The typed model as nginx.conf text: each filter and redirect becomes the arguments the templates
 * write.
 */
class ViewsTest {
  private static final PoolBlock POOL =
      new PoolBlock(
          "igw_pool_0",
          "ns/p",
          FailureMode.FAIL_CLOSE,
          PickerMode.IN_PROCESS,
          false,
          false,
          List.of());
  private static final MatchConditions ANY = new MatchConditions(null, Map.of(), Map.of());

  @Test
  void headerChangesBecomeHeaderNamesAndQuotedValues() {
    var rule =
        RuleView.of(
            new RuleBlock(
                "igw_rule_0",
                POOL,
                List.of(
                    HeaderChange.set("x-tenant", "team \"a\""),
                    HeaderChange.add("x-trace", "igw"),
                    HeaderChange.remove("x-debug")),
                null));
    assertThat(rule.headerChanges())
        .extracting(RuleView.HeaderView::name, RuleView.HeaderView::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("x-tenant", "\"team \\\"a\\\"\""),
            org.assertj.core.groups.Tuple.tuple("x-trace", "\"${igw_append_x_trace}igw\""),
            org.assertj.core.groups.Tuple.tuple("x-debug", "\"\""));
    assertThat(rule.upstreamHost()).isNull();
    assertThat(rule.rewrite()).isNull();
  }

  @Test
  void urlRewritesBecomeAHostAndARewriteRegex() {
    var prefix =
        RuleView.of(
            new RuleBlock(
                "r",
                POOL,
                List.of(),
                new UrlRewrite(
                    "models.internal", new UrlRewrite.ReplacePrefix("/api/v1.0", "/v1"))));
    assertThat(prefix.upstreamHost()).isEqualTo("\"models.internal\"");
    assertThat(prefix.rewrite())
        .isEqualTo(new RuleView.RewriteView("^/api/v1\\.0(/.*)?$", "/v1$1"));
    var root =
        RuleView.of(
            new RuleBlock(
                "r", POOL, List.of(), new UrlRewrite(null, new UrlRewrite.ReplacePrefix("", ""))));
    assertThat(root.rewrite()).isEqualTo(new RuleView.RewriteView("^(/.*)?$", "$1"));
    var full =
        RuleView.of(
            new RuleBlock(
                "r",
                POOL,
                List.of(),
                new UrlRewrite(null, new UrlRewrite.ReplaceFullPath("/v1/completions"))));
    assertThat(full.rewrite()).isEqualTo(new RuleView.RewriteView("^", "/v1/completions"));
  }

  @Test
  void aPlainRedirectIsNginxsReturnAndAConditionalOneIsForNjs() {
    var plain =
        LocationView.of(
            new RouteLocation(
                true,
                "/old",
                List.of(
                    new RouteCandidate(
                        ANY, List.of(), new Redirect(301, null, null, null, "/v1/models")))));
    assertThat(plain.matcher()).isEqualTo("= /old");
    assertThat(plain.redirect())
        .isEqualTo(new LocationView.RedirectView(301, "\"$scheme://$host/v1/models\""));
    assertThat(plain.route()).isNull();
    var hostAndPort =
        LocationView.of(
            new RouteLocation(
                false,
                "/old/",
                List.of(
                    new RouteCandidate(
                        ANY,
                        List.of(),
                        new Redirect(302, "https", "other.example.com", 8443, null)))));
    assertThat(hostAndPort.matcher()).isEqualTo("/old/");
    assertThat(hostAndPort.redirect().url())
        .isEqualTo("\"https://other.example.com:8443$request_uri\"");
    var conditional =
        LocationView.of(
            new RouteLocation(
                false,
                "/",
                List.of(
                    new RouteCandidate(
                        new MatchConditions("GET", Map.of(), Map.of()),
                        List.of(),
                        new Redirect(301, null, null, null, "/x")),
                    new RouteCandidate(ANY, List.of(), null))));
    assertThat(conditional.redirect()).isNull();
    assertThat(conditional.route()).startsWith("'{\"version\":1,").endsWith("}'");
  }

  @Test
  void theErrorsNginxAnswersAreOpenAiBodies() {
    var errors = new ErrorAnswers(1024);
    assertThat(errors.bodyTooLarge())
        .isEqualTo(
            new ErrorAnswers.ErrorAnswer(
                413,
                "'{\"error\":{\"message\":"
                    + "\"request body is larger than 1024 bytes\",\"type\":\"invalid_request_error\",\"param\":null,"
                    + "\"code\":\"body_too_large\"}}'"));
    assertThat(errors.tooManyConnections().body()).contains("\"type\":\"rate_limit_exceeded\"");
  }
}
