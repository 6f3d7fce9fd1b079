package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Token usage read by NGINX (njs body filter) from each answer and counted by the picker
 * (igw_tokens_total), through real NGINX, the real picker and a simulated vLLM server: non-streamed
 * completions, chat and embeddings; streams with the client's own include_usage and without it (the
 * gateway asks for usage and drops that chunk again: the bytes are those the server sends without
 * the gateway); a stream cut by its server (estimated); hostile tenant headers. The simulator does
 * not serve /v1/responses: the Responses API's usage is covered by njs/test/usage_test.js.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenUsageThroughNginxTest {
  static final int MAX_TENANT_LABELS = 20;
  static final String TENANT_HEADER = "x-gateway-inference-fairness-id";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static GatewayStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of()))
                .simulator(o -> o.setEnablePromptTokensDetails(true))
                .picker(
                    o -> {
                      o.getPick().setMaxTenantLabels(MAX_TENANT_LABELS);
                      return o;
                    }));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static String completion(boolean stream, JsonObject streamOptions) {
    JsonObject body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put("prompt", "0123456789abcdef")
            .put("max_tokens", 6)
            .put("ignore_eos", true)
            .put("seed", 11)
            .put("stream", stream);
    return (streamOptions == null ? body : body.put("stream_options", streamOptions)).encode();
  }

  static String chat(boolean stream, JsonObject streamOptions) {
    JsonObject body =
        new JsonObject()
            .put("model", BASE_MODEL)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "hi there")))
            .put("max_tokens", 5)
            .put("ignore_eos", true)
            .put("seed", 12)
            .put("stream", stream);
    return (streamOptions == null ? body : body.put("stream_options", streamOptions)).encode();
  }

  static final JsonObject INCLUDE_USAGE = new JsonObject().put("include_usage", true);

  @Order(1)
  @Test
  void nonStreamedUsageIsCountedForCompletionsChatAndEmbeddings() throws Exception {
    String embeddings =
        new JsonObject().put("model", BASE_MODEL).put("input", "embed these words").encode();
    for (String[] call :
        List.of(
            new String[] {"/v1/completions", completion(false, null)},
            new String[] {"/v1/chat/completions", chat(false, null)},
            new String[] {"/v1/embeddings", embeddings})) {
      String tenant = "json-" + call[0].replaceAll("\\W", "");
      Map<String, Long> before = tokens(tenant);
      HttpResponse<String> answer =
          Http.post(stack.gatewayPort(), call[0], call[1], Map.of(TENANT_HEADER, tenant));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonObject usage = new JsonObject(answer.body()).getJsonObject("usage");
      awaitTokens(tenant, before, expected(usage));
    }
  }

  @Order(2)
  @Test
  void aStreamWithItsOwnUsageIsCountedAndPassedAsTheServerSentIt() throws Exception {
    for (String[] call :
        List.of(
            new String[] {"/v1/completions", completion(true, INCLUDE_USAGE)},
            new String[] {"/v1/chat/completions", chat(true, INCLUDE_USAGE)})) {
      String tenant = "own-" + call[0].replaceAll("\\W", "");
      Map<String, Long> before = tokens(tenant);
      String viaGateway = gateway(call[0], call[1], tenant);
      assertThat(normalized(viaGateway)).isEqualTo(normalized(direct(call[0], call[1])));
      awaitTokens(tenant, before, expected(usageChunk(viaGateway)));
    }
  }

  @Order(3)
  @Test
  void aStreamWithoutUsageIsCountedAndTheClientGetsNoUsageChunk() throws Exception {
    for (String[] call :
        List.of(
            new String[] {"/v1/completions", completion(true, null)},
            new String[] {"/v1/completions", completion(true, new JsonObject())},
            new String[] {"/v1/chat/completions", chat(true, null)})) {
      String tenant = "none-" + call[0].replaceAll("\\W", "");
      Map<String, Long> before = tokens(tenant);
      String viaGateway = gateway(call[0], call[1], tenant);
      assertThat(viaGateway).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
      assertThat(normalized(viaGateway))
          .as("every byte but the dropped usage chunk is the server's")
          .isEqualTo(normalized(direct(call[0], call[1])));
      // the same request asking for usage itself: what the gateway must have counted
      JsonObject usage =
          usageChunk(
              direct(
                  call[0], new JsonObject(call[1]).put("stream_options", INCLUDE_USAGE).encode()));
      Map<String, Long> want = expected(usage);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Map<String, Long> now = tokens(tenant);
                assertThat(now.get("prompt") - before.get("prompt")).isEqualTo(want.get("prompt"));
                assertThat(now.get("completion") - before.get("completion"))
                    .isEqualTo(want.get("completion"));
                assertThat(now.get("cached_prompt") - before.get("cached_prompt"))
                    .isBetween(0L, want.get("prompt"));
              });
    }
  }

  @Order(4)
  @Test
  void aStreamCutByItsServerIsChargedWhatItDeliveredAsEstimated() throws Exception {
    faults(new JsonObject().put("crashRate", 1.0).put("crashAfterTokens", 3));
    try {
      String tenant = "cut";
      Map<String, Long> before = tokens(tenant);
      double estimatedBefore = estimated("completion");
      HttpResponse<Stream<String>> response =
          Http.postStreaming(stack.gatewayPort(), "/v1/completions", completion(true, null));
      assertThat(response.statusCode()).isEqualTo(200);
      try (Stream<String> lines = response.body()) {
        lines.forEach(l -> {});
      } catch (UncheckedIOException cut) {
        assertThat(cut.getCause()).isInstanceOf(IOException.class);
      }
      // the pick's prompt estimate: 16 bytes of prompt at 4 bytes a token
      awaitTokens("default", before, Map.of("prompt", 4L, "cached_prompt", 0L, "completion", 3L));
      assertThat(estimated("completion") - estimatedBefore).isEqualTo(3.0);
    } finally {
      faults(new JsonObject().put("crashRate", 0.0));
    }
  }

  @Order(5)
  @Test
  void hostileTenantHeadersKeepLabelsBoundedAndNeverReachThemAsSent() throws Exception {
    String body = completion(false, null);
    List<String> hostile =
        List.of(
            "x".repeat(7000),
            "a\u0001b",
            "tab\there",
            "del\u007fx",
            "quote\"brace{",
            "label=\"injected\"",
            "id-reserved",
            "",
            " ");
    for (String value : hostile) {
      int status = rawPost(value, body);
      // a control character is the client's error (njs/request_headers.js); printable hostile
      // values are served and counted under a hashed or capped tenant
      boolean control = value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
      assertThat(status)
          .as("tenant header %s", value.length() > 40 ? "(long)" : value)
          .isEqualTo(control ? 400 : 200);
    }
    for (int i = 0; i < 150; i++) {
      assertThat(rawPost("tenant-" + i, body)).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(tenantLabels()).contains("other"));
    Set<String> labels = tenantLabels();
    assertThat(labels.size()).isLessThanOrEqualTo(MAX_TENANT_LABELS + 1);
    for (String label : labels) {
      assertThat(label).matches("[A-Za-z0-9._:@/-]{1,64}");
    }
    assertThat(scrape())
        .doesNotContain("injected")
        .doesNotContain("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    // the gateway still answers
    assertThat(Http.post(stack.gatewayPort(), "/v1/completions", body).statusCode()).isEqualTo(200);
  }

  private static String gateway(String path, String body, String tenant) throws Exception {
    HttpResponse<String> answer =
        Http.post(stack.gatewayPort(), path, body, Map.of(TENANT_HEADER, tenant));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static String direct(String path, String body) throws Exception {
    HttpResponse<String> answer =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://" + stack.serverAddress(0) + path))
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  /** The stream with the server's per-request id and clock second blanked. */
  static String normalized(String sse) {
    return sse.replaceAll("\"id\":\"[^\"]*\"", "\"id\":\"-\"")
        .replaceAll("\"created\":\\d+", "\"created\":0");
  }

  static JsonObject usageChunk(String sse) {
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {") && line.contains("\"usage\"")) {
        JsonObject chunk = new JsonObject(line.substring(6));
        if (chunk.getValue("usage") instanceof JsonObject usage) {
          return usage;
        }
      }
    }
    throw new AssertionError("no usage chunk in " + sse);
  }

  static Map<String, Long> expected(JsonObject usage) {
    JsonObject details = usage.getJsonObject("prompt_tokens_details");
    return Map.of(
        "prompt", usage.getLong("prompt_tokens"),
        "cached_prompt", details == null ? 0L : details.getLong("cached_tokens", 0L),
        "completion", usage.getLong("completion_tokens", 0L));
  }

  private static void awaitTokens(String tenant, Map<String, Long> before, Map<String, Long> want) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Long> now = tokens(tenant);
              for (String kind : List.of("prompt", "cached_prompt", "completion")) {
                assertThat(now.get(kind) - before.get(kind)).as(kind).isEqualTo(want.get(kind));
              }
            });
  }

  private static final Pattern SERIES =
      Pattern.compile("^igw_tokens_total\\{(.*)\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

  /** igw_tokens_total of one tenant by kind, summed over the other labels. */
  static Map<String, Long> tokens(String tenant) throws Exception {
    long[] sums = new long[3];
    List<String> kinds = List.of("prompt", "cached_prompt", "completion");
    Matcher m = SERIES.matcher(scrape());
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("tenant=\"" + tenant + "\"")) {
        for (int i = 0; i < kinds.size(); i++) {
          if (labels.contains("kind=\"" + kinds.get(i) + "\"")) {
            sums[i] += (long) Double.parseDouble(m.group(2));
          }
        }
      }
    }
    return Map.of("prompt", sums[0], "cached_prompt", sums[1], "completion", sums[2]);
  }

  static double estimated(String kind) throws Exception {
    Matcher m =
        Pattern.compile(
                "^igw_tokens_estimated_total\\{kind=\""
                    + kind
                    + "\",pool=\"default/pool\"\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static Set<String> tenantLabels() throws Exception {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("tenant=\"([^\"]*)\"").matcher(scrape());
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static String scrape() throws Exception {
    return Http.get("http://127.0.0.1:" + stack.pickerPort() + "/metrics").body();
  }

  private static void faults(JsonObject faults) throws Exception {
    HttpResponse<String> answer =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://" + stack.serverAddress(0) + "/admin/config"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("faults", faults).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /**
   * A request written byte by byte, so the header holds what a Java client would refuse to send.
   */
  private static int rawPost(String tenant, String body) throws IOException {
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", stack.gatewayPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                  + TENANT_HEADER
                  + ": "
                  + tenant
                  + "\r\nContent-Length: "
                  + json.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(json);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      String text = answer.toString(StandardCharsets.ISO_8859_1);
      return Integer.parseInt(text.substring(9, 12));
    }
  }
}
