package io.igw.e2e;

import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real NGINX, child of the test, in its own prefix, stopped (and its port freed) on close. */
final class NginxProcess implements AutoCloseable {
  private final Process process;
  private final NginxPrefix prefix;

  private NginxProcess(Process process, NginxPrefix prefix) {
    this.process = process;
    this.prefix = prefix;
  }

  static NginxProcess start(NginxBinary nginx, NginxPrefix prefix, int port) throws IOException {
    io.igw.controller.apply.LoopbackTargets.check(prefix.conf());
    Process process =
        new ProcessBuilder(
                nginx.executable().toString(),
                "-p",
                prefix.root() + "/",
                "-c",
                prefix.conf().toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.root().resolve("logs/stdout.log").toFile())
            .start();
    NginxProcess nginxProcess = new NginxProcess(process, prefix);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "nginx exited with " + process.exitValue() + ": " + nginxProcess.errorLog());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return nginxProcess;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    nginxProcess.close();
    throw new IOException("nginx did not listen on " + port + ": " + nginxProcess.errorLog());
  }

  String errorLog() {
    try {
      Path log = prefix.root().resolve("logs/error.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
