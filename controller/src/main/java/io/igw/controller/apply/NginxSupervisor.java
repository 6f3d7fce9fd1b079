package io.igw.controller.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs NGINX as a child process in local mode: start once, graceful reloads, stop on shutdown. */
public final class NginxSupervisor implements AutoCloseable {
  static final long RELOAD_WAIT_MS = 5000;

  private final NginxBinary nginx;
  private final NginxPrefix prefix;
  // volatile: running() is read by health probes without waiting for a reload to finish
  private volatile Process process;

  public NginxSupervisor(NginxBinary nginx, NginxPrefix prefix) {
    this.nginx = nginx;
    this.prefix = prefix;
  }

  public boolean running() {
    Process current = process;
    return current != null && current.isAlive();
  }

  public synchronized void start() throws IOException {
    LoopbackTargets.check(prefix.conf());
    process =
        new ProcessBuilder(
                nginx.executable().toString(),
                "-p",
                prefix.root() + "/",
                "-c",
                prefix.conf().toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(prefix.root().resolve("logs/stdout.log").toFile()))
            .start();
  }

  /**
   * Graceful: new workers take the new config, old ones finish their requests. Returns once the
   * workers from before are gone (bounded by {@code RELOAD_WAIT_MS}: a long stream may keep an old
   * worker alive), so a caller can rely on new connections getting the new config.
   */
  public synchronized String reload() throws IOException, InterruptedException {
    LoopbackTargets.check(prefix.conf());
    java.util.Set<Long> before = workers();
    Process signal =
        new ProcessBuilder(
                nginx.executable().toString(),
                "-p",
                prefix.root() + "/",
                "-c",
                prefix.conf().toString(),
                "-s",
                "reload")
            .redirectErrorStream(true)
            .start();
    String output =
        new String(signal.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!signal.waitFor(30, TimeUnit.SECONDS) || signal.exitValue() != 0) {
      throw new IOException("nginx -s reload failed: " + output);
    }
    long deadline = System.nanoTime() + RELOAD_WAIT_MS * 1_000_000L;
    while (System.nanoTime() < deadline) {
      java.util.Set<Long> now = workers();
      if (!now.isEmpty() && java.util.Collections.disjoint(now, before)) {
        break;
      }
      Thread.sleep(20);
    }
    return output;
  }

  private java.util.Set<Long> workers() {
    if (process == null) {
      return java.util.Set.of();
    }
    return process
        .toHandle()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toSet());
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
