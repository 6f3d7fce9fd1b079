package io.igw.api.testing;

import io.igw.api.net.TestPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's, installed by {@code ./igw deps}), child of the test, on
 * 127.0.0.1 and a port of {@link TestPorts}, without persistence; {@link #stop} kills it and {@link
 * #start} brings it back on the same port (an empty server, as after a crash without persistence).
 * {@link #command} speaks RESP over a plain socket, for assertions.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Whether {@code redis-server} is on the PATH (tests say why they cannot run when not). */
  public static boolean available() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(p, "redis-server"))) {
        return true;
      }
    }
    return false;
  }

  public static RedisServer start() throws IOException {
    RedisServer server = new RedisServer(TestPorts.take(), Files.createTempDirectory("igw-redis-"));
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server again after {@link #stop}, on the same port. */
  public synchronized void startAgain() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        new ProcessBuilder(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--protected-mode",
                "yes")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IOException("redis-server did not answer on " + port);
  }

  /** Kills the server (SIGKILL: nothing saved, connections reset). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One command (arguments without spaces) and its answer as text: a status or bulk string, an
   * integer, or the elements of an array joined by newlines.
   */
  public String command(String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(5000);
      StringBuilder out = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        out.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        out.append(a).append("\r\n");
      }
      OutputStream os = socket.getOutputStream();
      os.write(out.toString().getBytes(StandardCharsets.UTF_8));
      os.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      return read(in);
    }
  }

  private static String read(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("redis closed the connection");
    }
    char type = line.charAt(0);
    String rest = line.substring(1);
    return switch (type) {
      case '+', ':' -> rest;
      case '-' -> throw new IOException("redis error: " + rest);
      case '$' -> {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          yield null;
        }
        char[] buf = new char[n];
        int got = 0;
        while (got < n) {
          got += in.read(buf, got, n - got);
        }
        in.readLine();
        yield new String(buf);
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < n; i++) {
          items.append(i == 0 ? "" : "\n").append(read(in));
        }
        yield items.toString();
      }
      default -> throw new IOException("unexpected redis answer: " + line);
    };
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
