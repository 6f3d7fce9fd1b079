package io.igw.controller.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@code nginx -t} on a config in its own prefix, without touching a running NGINX. */
public final class NginxConfigCheck {
  private static final long TIMEOUT_SECONDS = 30;

  private final NginxBinary nginx;

  public NginxConfigCheck(NginxBinary nginx) {
    this.nginx = nginx;
  }

  public record Result(boolean ok, String output) {}

  public Result check(NginxPrefix prefix, Path conf) {
    ProcessBuilder pb =
        new ProcessBuilder(
                nginx.executable().toString(),
                "-t",
                "-q",
                "-p",
                prefix.root() + "/",
                "-c",
                conf.toAbsolutePath().toString())
            .redirectErrorStream(true);
    try {
      Process process = pb.start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(false, "nginx -t did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue() == 0, output);
    } catch (IOException e) {
      return new Result(false, "cannot run " + nginx.executable() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }
}
