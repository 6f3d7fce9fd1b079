package io.igw.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as ./igw runs it on these machines: vfs storage, runc, ulimits within the machine's hard
 * limits.
 */
final class Podman {
  /** The podman command (IGW_PODMAN overrides, as for ./igw). */
  static final String PODMAN = System.getenv().getOrDefault("IGW_PODMAN", "podman");

  static final List<String> LIMITS =
      List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000");

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Podman() {}

  static List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                PODMAN,
                "--storage-driver",
                System.getenv().getOrDefault("IGW_PODMAN_STORAGE", "vfs"),
                "--runtime",
                System.getenv().getOrDefault("IGW_PODMAN_RUNTIME", "runc")));
    command.addAll(List.of(args));
    return command;
  }

  static Result run(String... args) {
    return exec(command(args), 120);
  }

  /** Why podman cannot run containers here, or null when it can. */
  static String unavailableReason() {
    Result version = exec(List.of(PODMAN, "--version"), 30);
    if (!version.ok()) {
      return "podman not found (./igw test installs it as root with apt-get): " + version.output();
    }
    Result info = run("info", "--format", "{{.Host.OCIRuntime.Name}}");
    return info.ok() ? null : "podman cannot run here: " + info.output();
  }

  static Result exec(List<String> command, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("igw-podman-", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          return new Result(
              124, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Result(
            process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new Result(127, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }
}
