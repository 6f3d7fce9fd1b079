package io.igw.bench.live;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * Waits for a URL to answer 200 while the processes of a benchmark cluster start; one that exits
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
      for (ManagedProcess p : mustStayAlive) {
        if (!p.alive()) {
          throw new IOException(p.name() + " exited: " + p.logTail());
        }
      }
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

  /** The java executable of this JVM, for the cluster's child processes. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
