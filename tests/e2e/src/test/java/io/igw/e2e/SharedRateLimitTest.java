package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.igw.api.testing.RedisServer;
import io.igw.picker.ratelimit.RateLimitOptions;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateway stacks (NGINX + picker each, their own simulated servers) sharing one real
 * redis-server for their buckets: together they hold a tenant to its budget; a killed Redis meets
 * each policy's failureMode (and is counted), a restarted one is used again; hostile tenant headers
 * leave Redis with a bounded number of keys.
 *
 * <p>What is charged: the estimate (prompt + max_tokens) while no usage is reported, the real usage
 * once the data plane reports it; max_tokens bounds every answer here, so the estimate is never
 * below the real usage and the bound on admitted tokens holds either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedRateLimitTest {
  private static final String TENANT = "x-gateway-inference-fairness-id";
  private static final int MAX_DISTINCT = 20;
  private static final long SHARED_BUDGET = 3000;
  private static final String POLICIES =
      """
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: lenient, namespace: default}
      spec:
        targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: pool}]
        failureMode: Allow
        rules:
        - name: shared
          match: {tenant: shared}
          limits: [{tokens: %d, per: Day}]
        - name: lenient
          match: {tenant: lenient}
          limits: [{tokens: 1000000, per: Day}]
        - name: each
          match: {tenant: "*"}
          limits: [{requests: 1000, per: Day}]
      ---
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: strict, namespace: default}
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: route}]
        failureMode: Deny
        rules:
        - name: strict
          match: {tenant: strict}
          limits: [{tokens: 1000000, per: Day}]
      """
          .formatted(SHARED_BUDGET);

  private RedisServer redis;
  private GatewayStack one;
  private GatewayStack two;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(RedisServer.available(), "redis-server is not installed (./igw deps installs it)");
    redis = RedisServer.start();
    GatewayStack.Options options =
        new GatewayStack.Options()
            .manifests(POLICIES)
            .rateLimit(
                new RateLimitOptions()
                    .setRedisUrl(redis.url())
                    .setRedisTimeoutMs(500)
                    .setMaxDistinctValues(MAX_DISTINCT));
    one = GatewayStack.start(options);
    two = GatewayStack.start(options);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {one, two, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing the rest anyway
      }
    }
  }

  private static HttpResponse<String> chat(GatewayStack stack, String tenant, int maxTokens)
      throws Exception {
    Map<String, String> headers = tenant == null ? Map.of() : Map.of(TENANT, tenant);
    return Http.post(
        stack.gatewayPort(),
        "/v1/chat/completions",
        TokenRateLimitTest.chat("Tell me about Redis", maxTokens, false),
        headers);
  }

  /** (prompt JSON bytes + 3) / 4 + max_tokens: what the picker charges before the answer. */
  private static long estimate(int maxTokens) {
    String messages =
        new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "Tell me about Redis"))
            .encode();
    return (messages.length() + 3) / 4 + maxTokens;
  }

  @Test
  void twoGatewaysSharingRedisHoldATenantToItsBudget() throws Exception {
    int maxTokens = 60;
    long each = estimate(maxTokens);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      GatewayStack gateway = c % 2 == 0 ? one : two;
      results.add(
          clients.submit(
              () -> {
                long admitted = 0, realTokens = 0, largest = 0, refused = 0;
                while (refused < 3) {
                  HttpResponse<String> r = chat(gateway, "shared", maxTokens);
                  if (r.statusCode() == 429) {
                    assertThat(Http.openAiError(r).getString("type")).isEqualTo("tokens");
                    refused++;
                    continue;
                  }
                  assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                  long total =
                      new JsonObject(r.body()).getJsonObject("usage").getLong("total_tokens");
                  admitted++;
                  realTokens += total;
                  largest = Math.max(largest, total);
                }
                return new long[] {admitted, realTokens, largest};
              }));
    }
    long admitted = 0, realTokens = 0, largest = 0;
    for (Future<long[]> f : results) {
      long[] r = f.get();
      admitted += r[0];
      realTokens += r[1];
      largest = Math.max(largest, r[2]);
    }
    clients.shutdown();
    // a day's refill over this test is under a token a minute
    assertThat(realTokens).isLessThanOrEqualTo(SHARED_BUDGET + largest);
    assertThat(admitted * each).isLessThanOrEqualTo(SHARED_BUDGET + 1);
    // and the budget was spent, by both gateways together, not refused early
    assertThat(admitted * each).isGreaterThan(SHARED_BUDGET - 2 * each);
    System.out.printf(
        "shared budget %d: admitted %d requests, estimate %d each, real tokens %d (largest %d)%n",
        SHARED_BUDGET, admitted, each, realTokens, largest);
  }

  @Test
  void aKilledRedisMeetsEachPolicysFailureModeAndARestartedOneIsUsedAgain() throws Exception {
    HttpResponse<String> before = chat(one, "strict", 8);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("1000000");

    redis.stop();
    try {
      for (GatewayStack gateway : List.of(one, two)) {
        HttpResponse<String> strict = chat(gateway, "strict", 8);
        assertThat(strict.statusCode()).isEqualTo(503);
        assertThat(Http.openAiError(strict).getString("code")).isEqualTo("rate_limit_unavailable");
        assertThat(strict.headers().firstValue("retry-after")).hasValue("1");
        HttpResponse<String> lenient = chat(gateway, "lenient", 8);
        assertThat(lenient.statusCode()).isEqualTo(200);
        assertThat(lenient.headers().firstValue("x-ratelimit-limit-tokens")).isEmpty();
      }
      String metrics = Http.get("http://127.0.0.1:" + one.pickerPort() + "/metrics").body();
      assertThat(metrics)
          .containsPattern(
              "igw_ratelimit_store_errors_total\\{operation=\"admit\",outcome=\"denied\"[^}]*} [1-9]")
          .containsPattern(
              "igw_ratelimit_store_errors_total\\{operation=\"admit\",outcome=\"allowed\"[^}]*} [1-9]");
    } finally {
      redis.startAgain();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (GatewayStack gateway : List.of(one, two)) {
                HttpResponse<String> after = chat(gateway, "strict", 8);
                assertThat(after.statusCode()).isEqualTo(200);
                assertThat(after.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
              }
            });
    assertThat(Long.parseLong(redis.command("DBSIZE"))).isPositive();
  }

  @Test
  void hostileTenantHeadersLeaveRedisWithBoundedKeys() throws Exception {
    redis.command("FLUSHALL");
    int answered = 0;
    for (int i = 0; i < 150; i++) {
      String tenant =
          switch (i % 3) {
            case 0 -> "t-" + i;
            case 1 -> "x".repeat(4000) + i;
            default -> "id-" + i + "/../../" + "%00%0d%0a";
          };
      HttpResponse<String> r = chat(i % 2 == 0 ? one : two, tenant, 1);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      answered++;
    }
    // control characters NGINX lets through (no CR or LF: a client cannot send those in a value)
    // are the client's error: njs answers 400 before any pick, so they never reach the limiter
    for (GatewayStack gateway : List.of(one, two)) {
      String status = rawRequest(gateway.gatewayPort(), "a\u0001b\u007fc\tz");
      assertThat(status).matches("HTTP/1\\.1 400 .*");
    }
    assertThat(answered).isEqualTo(150);
    // the "each" rule: MAX_DISTINCT tenants per replica with a bucket each, the others share one;
    // the two replicas may have admitted different tenants. (A key lives until its bucket is full
    // again: 86 s for one request of 1,000 a day.)
    long keys = Long.parseLong(redis.command("DBSIZE"));
    System.out.println("redis keys after 150 distinct hostile tenants: " + keys);
    assertThat(keys).isBetween(2L, 2L * (MAX_DISTINCT + 1));
    // both gateways still answer ordinary requests
    assertThat(chat(one, "t-0", 1).statusCode()).isEqualTo(200);
    assertThat(chat(two, null, 1).statusCode()).isEqualTo(200);
  }

  /** One request over a raw socket, so a header value can hold what HttpClient refuses to send. */
  private static String rawRequest(int port, String tenant) throws Exception {
    String body = TokenRateLimitTest.chat("hi", 1, false);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + TENANT
                  + ": "
                  + tenant
                  + "\r\nConnection: close\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
    }
  }
}
