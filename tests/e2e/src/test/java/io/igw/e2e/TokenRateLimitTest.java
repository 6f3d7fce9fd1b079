package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A TokenRateLimitPolicy through real NGINX, njs, the picker and simulated vLLM servers, buckets in
 * the picker's memory: a tenant over its budget gets OpenAI's 429 with its headers, every answer of
 * the limited route carries the x-ratelimit-* headers, and another tenant is not limited.
 *
 * <p>Charged here: the admission estimate (prompt + max_tokens), which stays charged while the
 * completion feed reports no usage; with real usage reported (non-streamed answers, the data
 * plane's usage reading) the settlement gives back what max_tokens over-estimated, so a tenant gets
 * as many requests or more, and every assertion below still holds (none counts requests exactly).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRateLimitTest {
  static final String FREE_TIER =
      """
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: tiers, namespace: default}
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: route}]
        rules:
        - name: free-tier
          match: {tenant: free-tier}
          limits:
          - {tokens: 2000, per: Minute}
          - {requests: 1000, per: Day}
      """;
  private static final String TENANT = "x-gateway-inference-fairness-id";

  private GatewayStack stack;
  private int port;

  @BeforeAll
  void start() throws Exception {
    stack = GatewayStack.start(new GatewayStack.Options().manifests(FREE_TIER));
    port = stack.gatewayPort();
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static String chat(String content, int maxTokens, boolean stream) {
    return new JsonObject()
        .put("model", BASE_MODEL)
        .put(
            "messages",
            new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("role", "user").put("content", content)))
        .put("max_tokens", maxTokens)
        .put("stream", stream)
        .encode();
  }

  @Test
  void aTenantOverItsBudgetGets429WithOpenAisBodyAndHeadersWithinAFewRequests() throws Exception {
    String body = chat("Tell me about NGINX and njs", 300, false);
    HttpResponse<String> last = null;
    int ok = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      last = Http.post(port, "/v1/chat/completions", body, Map.of(TENANT, "free-tier"));
      if (last.statusCode() != 200) {
        break;
      }
      ok++;
      assertThat(last.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("2000");
      assertThat(last.headers().firstValue("x-ratelimit-limit-requests")).hasValue("1000");
      assertThat(
              Long.parseLong(
                  last.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()))
          .isBetween(0L, 2000L);
      assertThat(last.headers().firstValue("x-ratelimit-reset-tokens").orElseThrow())
          .matches("(\\d+m)?\\d+(\\.\\d+)?s|\\d+ms");
      assertThat(last.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow())
          .isEqualTo(Integer.toString(1000 - ok));
    }
    // 314 tokens a request (14 of prompt JSON, 300 of max_tokens) against 2,000 a minute, which
    // refills at 2,000 a minute while the answers are generated
    double elapsedMinutes = (System.nanoTime() - started) / 60e9;
    assertThat(ok).isBetween(2000 / 314, (int) ((2000 + 2000 * elapsedMinutes) / 314) + 1);
    assertThat(last.statusCode()).isEqualTo(429);
    JsonObject error = Http.openAiError(last);
    assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(error.getString("type")).isEqualTo("tokens");
    assertThat(error.getString("message"))
        .startsWith("Rate limit reached for tokens per min (TPM) of rule free-tier")
        .contains("Limit 2000, Used ")
        .contains("Requested ")
        .contains("Please try again in ");
    assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow())).isPositive();
    assertThat(last.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("2000");
    assertThat(last.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    assertThat(last.headers().firstValue("content-type")).hasValue("application/json");

    // a streamed answer of the limited tenant is refused the same way (1,000 tokens: more than the
    // less than 314 the bucket held at the refusal, plus what refills in the next few milliseconds)
    HttpResponse<String> stream =
        Http.post(
            port,
            "/v1/chat/completions",
            chat("Tell me about NGINX and njs", 1000, true),
            Map.of(TENANT, "free-tier"));
    assertThat(stream.statusCode()).isEqualTo(429);

    // another tenant, and a request without any, are not limited and get no headers
    for (Map<String, String> other :
        java.util.List.of(Map.of(TENANT, "paid"), Map.<String, String>of())) {
      HttpResponse<String> r = Http.post(port, "/v1/chat/completions", body, other);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).isEmpty();
      assertThat(r.headers().firstValue("retry-after")).isEmpty();
    }
  }

  @Test
  void aRequestLargerThanTheBudgetIsRefusedAtOnce() throws Exception {
    HttpResponse<String> r =
        Http.post(
            port, "/v1/chat/completions", chat("hello", 5000, false), Map.of(TENANT, "free-tier"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(Http.openAiError(r).getString("message"))
        .startsWith("Request too large for tokens per min (TPM)")
        .contains("Limit 2000, Requested ");
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
  }
}
