package io.igw.bench.overhead;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop throughput with {@code wrk} (one thread), when it is installed: a C client that does
 * not compete with NGINX for the cores the way the JVM client does.
 */
final class WrkProbe {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

  private final Path script;

  private WrkProbe(Path script) {
    this.script = script;
  }

  /**
   * A probe when {@code wrk} runs here, with a Lua script posting the small completion for {@code
   * model}.
   */
  static Optional<WrkProbe> find(Path work, String model) throws IOException {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return Optional.empty();
    }
    Path script = work.resolve("post.lua");
    Files.writeString(
        script,
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
            + "wrk.body = '"
            + HttpProbe.BODY.formatted(model)
            + "'\n");
    return Optional.of(new WrkProbe(script));
  }

  /** Requests per second over {@code seconds}; fails when any answer was not 2xx. */
  double requestsPerSecond(URI base, int connections, double seconds)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                List.of(
                    "wrk",
                    "-t1",
                    "-c" + connections,
                    "-d" + (long) seconds + "s",
                    "-s",
                    script.toString(),
                    base.resolve("/v1/completions").toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor((long) seconds + 30, TimeUnit.SECONDS);
    Matcher rps = RPS.matcher(out);
    Matcher bad = NON_2XX.matcher(out);
    if (!rps.find() || bad.find()) {
      throw new IOException("wrk: " + out);
    }
    return Double.parseDouble(rps.group(1));
  }
}
