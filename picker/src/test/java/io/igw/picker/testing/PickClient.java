package io.igw.picker.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Blocking test client of the pick API. It uses the JDK client: a Vert.x client driven from a test
 * thread (outside any Vert.x context) lost a response now and then in this setup.
 */
public final class PickClient {
  public record Answer(int status, MultiMap headers, Buffer body) {
    public String endpoint() {
      return headers.get("x-gateway-destination-endpoint");
    }

    public String firstEndpoint() {
      String all = endpoint();
      return all == null ? null : all.split(",")[0];
    }

    public JsonObject error() {
      return body.toJsonObject().getJsonObject("error");
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  public PickClient(Vertx vertx, int port) {
    this.port = port;
  }

  public Answer pick(String pool, String body) {
    return pick(pool, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Answer pick(String pool, String body, MultiMap headers) {
    String uri =
        "/pick?pool="
            + URLEncoder.encode(pool, StandardCharsets.UTF_8)
            + "&path=%2Fv1%2Fcompletions&method=POST";
    return send(
        HttpMethod.POST, uri, body == null ? Buffer.buffer() : Buffer.buffer(body), headers);
  }

  /** A pick whose body is sent chunked, with no {@code Content-Length}. */
  public Answer pickUnsized(String pool, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(
        "/pick?pool="
            + URLEncoder.encode(pool, StandardCharsets.UTF_8)
            + "&path=%2Fv1%2Fcompletions",
        HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)),
        MultiMap.caseInsensitiveMultiMap(),
        HttpMethod.POST);
  }

  public Answer send(HttpMethod method, String uri, Buffer body, MultiMap headers) {
    return send(uri, HttpRequest.BodyPublishers.ofByteArray(body.getBytes()), headers, method);
  }

  private Answer send(
      String uri, HttpRequest.BodyPublisher body, MultiMap headers, HttpMethod method) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(Duration.ofSeconds(10))
            .method(method.name(), body);
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      MultiMap answerHeaders = MultiMap.caseInsensitiveMultiMap();
      response.headers().map().forEach(answerHeaders::add);
      return new Answer(response.statusCode(), answerHeaders, Buffer.buffer(response.body()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
