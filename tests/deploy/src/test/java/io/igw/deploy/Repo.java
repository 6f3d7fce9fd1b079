package io.igw.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the checkout the tests run from. */
final class Repo {
  private Repo() {}

  /** The repository root: the nearest folder up from here that holds the launcher {@code igw}. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isRegularFile(dir.resolve("igw")) && Files.isDirectory(dir.resolve("charts")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no igw checkout above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path chart() {
    return root().resolve("charts/igw");
  }
}
