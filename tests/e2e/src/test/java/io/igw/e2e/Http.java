package io.igw.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP/1.1 client for the tests. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> post(int port, String path, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return post(port, path, body, headers, Duration.ofSeconds(30));
  }

  static HttpResponse<String> post(
      int port, String path, String body, Map<String, String> headers, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(timeout)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path, String body)
      throws IOException, InterruptedException {
    return post(port, path, body, Map.of());
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<java.util.stream.Stream<String>> postStreaming(
      int port, String path, String body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
  }

  static String completion(String model, int maxTokens) {
    return new JsonObject()
        .put("model", model)
        .put("prompt", "Tell me about NGINX")
        .put("max_tokens", maxTokens)
        .encode();
  }

  static String servedBy(HttpResponse<?> response) {
    return response.headers().firstValue("x-igw-served-by").orElse("(none)");
  }

  /** The OpenAI error object of an answer, or fails the test when the shape is wrong. */
  static JsonObject openAiError(HttpResponse<String> response) {
    JsonObject body = new JsonObject(response.body());
    JsonObject error = body.getJsonObject("error");
    if (error == null || error.getString("message") == null || error.getString("type") == null) {
      throw new AssertionError("not an OpenAI error body: " + response.body());
    }
    return error;
  }
}
