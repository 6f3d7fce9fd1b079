package io.igw.controller.apply;

import io.igw.controller.render.ConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** An NGINX prefix folder: conf/, logs/ and tmp/ (body, proxy and other temp paths). */
public record NginxPrefix(Path root) {
  private static final List<String> DIRS =
      List.of(
          "conf", "logs", "tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi");

  public NginxPrefix {
    root = root.toAbsolutePath().normalize();
  }

  public NginxPrefix create() {
    try {
      for (String dir : DIRS) {
        Files.createDirectories(root.resolve(dir));
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create NGINX prefix " + root, e);
    }
  }

  public Path conf() {
    return root.resolve("conf/nginx.conf");
  }

  /** The current content of a file under the prefix, or null when there is none. */
  public byte[] read(String path) {
    try {
      Path file = root.resolve(path);
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Writes the file next to its final place, then moves it there atomically. */
  public Path write(ConfigFile file) {
    Path target = root.resolve(file.path());
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.write(tmp, file.content());
      return Files.move(
          tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
