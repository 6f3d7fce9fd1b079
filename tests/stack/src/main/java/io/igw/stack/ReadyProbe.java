package io.igw.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * Waits for a part of a stack to answer while the processes of the stack start; one that exits
 * fails the wait.
 */
public final class ReadyProbe {
  private ReadyProbe() {}

  /**
   * Polls {@code url} every {@code pollMillis} until it answers 200, at most {@code timeout};
   * throws when one of {@code mustStayAlive} exits or time runs out (naming {@code logs}).
   */
  public static void awaitOk(
      HttpClient http,
      String url,
      Duration timeout,
      long pollMillis,
      Collection<ManagedProcess> mustStayAlive,
      Path logs)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      failIfOneExited(mustStayAlive);
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(pollMillis);
    }
    throw new IOException("not ready: " + url + " (" + last + "); logs in " + logs);
  }

  /**
   * Waits until something accepts connections on 127.0.0.1:{@code port}, at most {@code timeout};
   * throws when one of {@code mustStayAlive} exits or time runs out (naming {@code logs}).
   */
  public static void awaitListening(
      int port, Duration timeout, Collection<ManagedProcess> mustStayAlive, Path logs)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      failIfOneExited(mustStayAlive);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("nothing listens on 127.0.0.1:" + port + "; logs in " + logs);
  }

  private static void failIfOneExited(Collection<ManagedProcess> mustStayAlive) throws IOException {
    for (ManagedProcess p : mustStayAlive) {
      if (!p.alive()) {
        throw new IOException(p.name() + " exited: " + p.logTail());
      }
    }
  }
}
