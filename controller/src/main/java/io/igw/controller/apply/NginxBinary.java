package io.igw.controller.apply;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where NGINX and its njs module are on this machine. */
public record NginxBinary(Path executable, Path jsModule) {
  private static final List<String> EXECUTABLES =
      List.of(
          "/usr/sbin/nginx",
          "/usr/local/sbin/nginx",
          "/usr/local/nginx/sbin/nginx",
          "/usr/bin/nginx");
  private static final List<String> MODULE_DIRS =
      List.of(
          "/usr/lib/nginx/modules",
          "/usr/lib64/nginx/modules",
          "/usr/local/nginx/modules",
          "/etc/nginx/modules",
          "/usr/share/nginx/modules");
  private static final String JS_MODULE = "ngx_http_js_module.so";

  /** The first NGINX found (IGW_NGINX overrides), with its njs module when it is a loadable one. */
  public static Optional<NginxBinary> find() {
    String override = System.getenv("IGW_NGINX");
    Optional<Path> exe =
        override != null
            ? Optional.of(Path.of(override))
            : EXECUTABLES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    if (exe.isEmpty() || !Files.isExecutable(exe.get())) {
      return Optional.empty();
    }
    String moduleOverride = System.getenv("IGW_NJS_MODULE");
    Path module =
        moduleOverride != null
            ? Path.of(moduleOverride)
            : MODULE_DIRS.stream()
                .map(d -> Path.of(d, JS_MODULE))
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
    return Optional.of(new NginxBinary(exe.get(), module));
  }
}
