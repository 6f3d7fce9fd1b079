package io.igw.picker.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.api.time.ManualClock;
import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.TokenUsage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission and settlement over in-memory buckets (and a Redis that is not there). */
class RateLimiterTest {
  private static final PoolName POOL = new PoolName("default", "chat");
  private static final String POOLS =
      """
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: chat}
      spec: {selector: {matchLabels: {app: chat}}, targetPorts: [{number: 8000}]}
      ---
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: tiers}
      spec:
        targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]
      """;

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final List<String> refused = new ArrayList<>();
  private final List<String> storeErrors = new ArrayList<>();
  private final RateLimitObserver observer =
      new RateLimitObserver() {
        @Override
        public void rateLimited(String policy, String rule, String type) {
          refused.add(policy + "/" + rule + ":" + type);
        }

        @Override
        public void rateLimitStoreError(String operation, boolean denied) {
          storeErrors.add(operation + ":" + denied);
        }
      };
  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private RateLimiter limiter(String spec, BucketStore store, int maxDistinct) {
    RateLimits limits =
        RateLimitPolicyResolver.resolve(new ManifestReader().readString("test", POOLS + spec));
    assertThat(limits.conditions()).allMatch(PolicyCondition::accepted);
    return new RateLimiter(
        () -> limits,
        store,
        observer,
        new RateLimitOptions().setClock(clock).setMaxDistinctValues(maxDistinct));
  }

  private RateLimiter limiter(String spec) {
    return limiter(spec, new LocalBucketStore(clock), 100);
  }

  /** A chat request of {@code promptChars} characters of content and {@code maxTokens}. */
  private static PickRequest request(String tenant, int promptChars, Integer maxTokens) {
    JsonObject body =
        new JsonObject()
            .put("model", "llama")
            .put(
                "messages",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put("content", "x".repeat(promptChars))));
    if (maxTokens != null) {
      body.put("max_tokens", maxTokens);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (tenant != null) {
      headers.add("x-gateway-inference-fairness-id", tenant);
    }
    return new PickRequest(
        POOL, "/v1/chat/completions", "POST", PickBody.of(body), headers, "req", null);
  }

  private static long estimate(PickRequest r) {
    RequestEstimate e = RequestEstimate.of(r);
    return e.promptTokens() + e.maxOutputTokens();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static PickFailure refusal(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return PickFailure.of(e.getCause());
    }
    throw new AssertionError("admitted");
  }

  @Test
  void theEstimateIsThePromptPlusMaxTokensAsOpenAiCountsIt() {
    PickRequest r = request("a", 400, 100);
    RequestEstimate e = RequestEstimate.of(r);
    // the JSON of the messages, 4 bytes a token, rounded up
    int promptBytes =
        new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "x".repeat(400)))
            .encode()
            .length();
    assertThat(e.promptTokens()).isEqualTo((promptBytes + 3) / 4);
    assertThat(e.maxOutputTokens()).isEqualTo(100);
    JsonObject chat =
        new JsonObject()
            .put("model", "m")
            .put("max_completion_tokens", 7)
            .put("max_tokens", 900)
            .put("n", 3);
    assertThat(RequestEstimate.of(withBody(chat)).maxOutputTokens()).isEqualTo(21);
    JsonObject hostile = new JsonObject().put("model", "m").put("max_tokens", 1e300).put("n", 1e9);
    assertThat(RequestEstimate.of(withBody(hostile)).maxOutputTokens())
        .isEqualTo(RequestEstimate.CAP);
    JsonObject wrongTypes = new JsonObject().put("model", "m").put("max_tokens", "9").put("n", "x");
    assertThat(RequestEstimate.of(withBody(wrongTypes)).maxOutputTokens()).isZero();
  }

  private static PickRequest withBody(JsonObject body) {
    return new PickRequest(
        POOL,
        "/v1/completions",
        "POST",
        PickBody.of(body),
        MultiMap.caseInsensitiveMultiMap(),
        "r",
        null);
  }

  @Test
  void aTenantIsHeldToItsLimitAndOthersAreNot() throws Exception {
    RateLimiter limiter =
        limiter(
            """
              rules:
              - name: free
                match: {tenant: free-tier}
                limits: [{tokens: 2000, per: Minute}, {requests: 100, per: Minute}]
            """);
    PickRequest r = request("free-tier", 400, 200);
    long each = estimate(r);
    long admitted = 0;
    RateLimiter.Decision last = null;
    while (true) {
      Future<RateLimiter.Decision> d = limiter.admit(r);
      if (d.failed()) {
        break;
      }
      last = d.result();
      admitted += each;
    }
    assertThat(admitted).isLessThanOrEqualTo(2000).isGreaterThan(2000 - each);
    Map<String, String> headers = last.headers();
    assertThat(headers)
        .containsEntry("x-ratelimit-limit-tokens", "2000")
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(2000 - admitted))
        .containsEntry("x-ratelimit-limit-requests", "100")
        .containsEntry("x-ratelimit-remaining-requests", Long.toString(100 - admitted / each));
    assertThat(headers.get("x-ratelimit-reset-tokens")).matches("\\d+(\\.\\d+)?s");

    PickFailure failure = refusal(limiter.admit(r));
    assertThat(failure.status()).isEqualTo(429);
    assertThat(failure.code()).isEqualTo("rate_limit_exceeded");
    assertThat(failure.type()).isEqualTo("tokens");
    assertThat(failure.getMessage())
        .startsWith(
            "Rate limit reached for tokens per min (TPM) of rule free in policy default/tiers")
        .contains("Limit 2000, Used " + admitted + ", Requested " + each)
        .contains("Please try again in ");
    assertThat(Long.parseLong(failure.headers().get("retry-after"))).isPositive();
    assertThat(failure.headers())
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(2000 - admitted));
    assertThat(new JsonObject(failure.body()).getJsonObject("error").getString("type"))
        .isEqualTo("tokens");
    assertThat(refused).containsOnly("default/tiers/free:tokens");

    // another tenant is not limited at all, and gets no headers
    RateLimiter.Decision other = await(limiter.admit(request("paid", 400, 200)));
    assertThat(other.reservation()).isNull();
    assertThat(other.headers()).isEmpty();

    // the bucket refills: after the retry time the request passes
    clock.advance(Long.parseLong(failure.headers().get("retry-after")) * 1000);
    assertThat(limiter.admit(r).succeeded()).isTrue();
  }

  @Test
  void aRequestLargerThanTheLimitIsRefusedAtOnceWithoutRetryAfter() {
    RateLimiter limiter =
        limiter("  rules: [{limits: [{tokens: 100, per: Minute, count: Input}]}]\n");
    PickFailure failure = refusal(limiter.admit(request("a", 4000, null)));
    assertThat(failure.getMessage())
        .startsWith("Request too large for tokens (input) per min (TPM)")
        .contains("Limit 100, Requested 1")
        .contains("must be reduced");
    assertThat(failure.headers()).doesNotContainKey("retry-after");
    // a small one still passes: nothing was taken
    assertThat(limiter.admit(request("a", 40, null)).succeeded()).isTrue();
  }

  @Test
  void requestLimitsCountRequests() {
    RateLimiter limiter = limiter("  rules: [{limits: [{requests: 3, per: Hour}]}]\n");
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit(request("t" + i, 10, 10)).succeeded()).isTrue();
    }
    PickFailure failure = refusal(limiter.admit(request("t9", 10, 10)));
    assertThat(failure.type()).isEqualTo("requests");
    assertThat(failure.getMessage())
        .contains("requests per hour (RPH)")
        .contains("Limit 3, Used 3, Requested 1");
    assertThat(failure.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
    assertThat(failure.headers().get("x-ratelimit-reset-requests")).isEqualTo("1h0m0s");
  }

  @Test
  void settlementChargesTheRealUsageAndTheEstimateWhenNoneWasReported() throws Exception {
    RateLimiter limiter =
        limiter("  rules: [{limits: [{tokens: 10000, per: Day, count: Total}]}]\n");
    PickRequest r = request("a", 400, 1000);
    long each = estimate(r);
    RateLimiter.Decision d = await(limiter.admit(r));
    assertThat(d.headers())
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(10000 - each));

    // real usage: 100 prompt + 50 completion tokens; the rest of the reservation comes back
    limiter.settle(d.reservation(), completion(200, new TokenUsage(100, 0, 50, false)));
    RateLimiter.Decision next = await(limiter.admit(r));
    assertThat(next.headers())
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(10000 - 150 - each));

    // no usage reported: the estimate stays charged
    limiter.settle(next.reservation(), completion(200, null));
    RateLimiter.Decision third = await(limiter.admit(r));
    assertThat(third.headers())
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(10000 - 150 - 2 * each));

    // the server failed: nothing was generated, the tokens come back
    limiter.settle(third.reservation(), completion(502, null));
    // more than the estimate: the bucket owes it
    RateLimiter.Decision fourth = await(limiter.admit(r));
    limiter.settle(fourth.reservation(), completion(200, new TokenUsage(100, 0, 5000, false)));
    RateLimiter.Decision fifth = await(limiter.admit(request("a", 4, 0)));
    assertThat(fifth.headers())
        .containsEntry(
            "x-ratelimit-remaining-tokens",
            Long.toString(10000 - 150 - each - 5100 - estimate(request("a", 4, 0))));
  }

  @Test
  void aRefundGivesBackEverythingTheReservationTook() throws Exception {
    RateLimiter limiter =
        limiter("  rules: [{limits: [{tokens: 1000, per: Minute}, {requests: 1, per: Minute}]}]\n");
    RateLimiter.Decision d = await(limiter.admit(request("a", 40, 100)));
    assertThat(limiter.admit(request("a", 40, 100)).failed()).isTrue();
    limiter.refund(d.reservation());
    assertThat(limiter.admit(request("a", 40, 100)).succeeded()).isTrue();
  }

  @Test
  void costWeightsCountCachedAndOutputTokens() throws Exception {
    RateLimiter limiter =
        limiter(
            """
              rules:
              - limits: [{tokens: 100000, per: Day, count: Cost}]
                cost: {input: 1, cachedInput: 0.1, output: 2}
            """);
    PickRequest r = request("a", 4, 0);
    RateLimiter.Decision d = await(limiter.admit(r));
    long prompt = RequestEstimate.of(r).promptTokens();
    limiter.settle(d.reservation(), completion(200, new TokenUsage(1000, 800, 100, false)));
    RateLimiter.Decision next = await(limiter.admit(r));
    // 200 uncached + 800 × 0.1 + 100 × 2 = 480
    assertThat(next.headers())
        .containsEntry("x-ratelimit-remaining-tokens", Long.toString(100000 - 480 - prompt));
  }

  @Test
  void eachValueHasItsBucketUpToTheCapThenTheyShareOne() throws Exception {
    RateLimiter limiter =
        limiter(
            "  rules: [{name: each, match: {tenant: \"*\"}, limits: [{requests: 2, per: Minute}]}]\n",
            new LocalBucketStore(clock),
            5);
    // two tenants, each its own budget
    for (String tenant : List.of("a", "b")) {
      assertThat(limiter.admit(request(tenant, 4, 0)).succeeded()).isTrue();
      assertThat(limiter.admit(request(tenant, 4, 0)).succeeded()).isTrue();
      assertThat(limiter.admit(request(tenant, 4, 0)).failed()).isTrue();
    }
    // hostile tenants: huge, control characters, many distinct values
    int admitted = 0;
    List<String> hostile = new ArrayList<>(List.of("x".repeat(100_000), "a\u0000b\r\nc", "\u2028"));
    for (int i = 0; i < 1000; i++) {
      hostile.add("t-" + i);
    }
    for (String tenant : hostile) {
      Future<RateLimiter.Decision> d = limiter.admit(request(tenant, 4, 0));
      if (d.succeeded()) {
        admitted++;
      }
    }
    LimitRule rule =
        RateLimitPolicyResolver.resolve(
                new ManifestReader()
                    .readString(
                        "t",
                        POOLS
                            + "  rules: [{name: each, match: {tenant: \"*\"}, limits: [{requests: 2,"
                            + " per: Minute}]}]\n"))
            .rules(POOL)
            .get(0);
    assertThat(limiter.distinctValues(rule)).isEqualTo(5);
    // three more values got their own buckets (one request each), all others share "other" (2)
    assertThat(admitted).isEqualTo(3 + 2);
    // a value unseen for the window is forgotten and its place taken by a new one
    clock.advance(60_001);
    assertThat(limiter.admit(request("newcomer", 4, 0)).succeeded()).isTrue();
    assertThat(limiter.distinctValues(rule)).isEqualTo(1);
  }

  @Test
  void anUnreachableStoreAllowsOrDeniesAsThePolicySays() throws Exception {
    vertx = Vertx.vertx();
    String nowhere = "redis://127.0.0.1:" + TestPorts.take();
    RateLimiter allow =
        limiter(
            "  failureMode: Allow\n  rules: [{limits: [{tokens: 10, per: Minute}]}]\n",
            new RedisBucketStore(vertx, nowhere, 200),
            10);
    RateLimiter.Decision d = await(allow.admit(request("a", 4, 0)));
    assertThat(d.reservation()).isNull();
    RateLimiter deny =
        limiter(
            "  failureMode: Deny\n  rules: [{limits: [{tokens: 10, per: Minute}]}]\n",
            new RedisBucketStore(vertx, nowhere, 200),
            10);
    PickFailure failure = refusal(deny.admit(request("a", 4, 0)));
    assertThat(failure.status()).isEqualTo(503);
    assertThat(failure.code()).isEqualTo("rate_limit_unavailable");
    assertThat(failure.headers()).containsEntry("retry-after", "1");
    assertThat(storeErrors).containsExactly("admit:false", "admit:true");
  }

  private static Completion completion(int status, TokenUsage usage) {
    return new Completion("req", List.of("127.0.0.1:1"), status, 1, 0.1, usage);
  }
}
