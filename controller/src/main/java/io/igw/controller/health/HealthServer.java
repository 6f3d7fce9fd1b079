package io.igw.controller.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /health} and {@code GET /ready} of the controller: 200 {@code {"status":"ok"}}, or 503
 * with the reason; any other path 404, any other method 405. One thread: probes are rare and each
 * answer is a read of {@link ControllerHealth}.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private HealthServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code host:port} (port 0: any free one) and serves until {@link #close}. */
  public static HealthServer start(String host, int port, ControllerHealth health)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "igw-health");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(exchange, health));
    server.start();
    return new HealthServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, ControllerHealth health) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      ControllerHealth.Check check =
          switch (path) {
            case "/health" -> health.health();
            case "/ready" -> health.ready();
            default -> null;
          };
      if (check == null) {
        send(exchange, 404, "{\"status\":\"not_found\"}");
      } else if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("allow", "GET, HEAD");
        send(exchange, 405, "{\"status\":\"method_not_allowed\"}");
      } else if (check.ok()) {
        send(exchange, 200, "{\"status\":\"ok\"}");
      } else {
        send(
            exchange,
            503,
            "{\"status\":\"unavailable\",\"reason\":" + quoted(check.reason()) + "}");
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The reasons are the controller's own text; quoted anyway so a message can never break JSON. */
  static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
