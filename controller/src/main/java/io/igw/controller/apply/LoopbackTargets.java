package io.igw.controller.apply;

import io.igw.api.net.LoopbackOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test-run guard ({@link LoopbackOnly}) for NGINX: before a rendered config starts or reloads a
 * real NGINX, every address it could send to (upstream servers, literal proxy or gRPC targets,
 * syslog servers) must be loopback. A config aimed elsewhere is refused, so it never runs. Does
 * nothing outside test runs.
 */
public final class LoopbackTargets {
  private static final Pattern TARGET =
      Pattern.compile(
          "(?m)^\\s*server\\s+([^\\s;{]+):(\\d+)[\\s;]|(?:proxy_pass|grpc_pass)\\s+(?:https?|grpcs?)://([^\\s;$/]+):(\\d+)"
              + "|syslog:server=([^,\\s;]+):(\\d+)");

  private LoopbackTargets() {}

  /** Throws when the guard is on and {@code conf} names a target outside loopback. */
  public static void check(Path conf) {
    if (!LoopbackOnly.enforced()) {
      return;
    }
    String text;
    try {
      text = Files.readString(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = TARGET.matcher(text);
    while (m.find()) {
      int group = m.group(1) != null ? 1 : m.group(3) != null ? 3 : 5;
      if (!LoopbackOnly.allows(
          m.group(group), Integer.parseInt(m.group(group + 1)), "nginx target in " + conf)) {
        throw new IllegalStateException(
            "nginx.conf aims at "
                + m.group(group)
                + ":"
                + m.group(group + 1)
                + " outside 127.0.0.0/8 in a test run");
      }
    }
  }
}
