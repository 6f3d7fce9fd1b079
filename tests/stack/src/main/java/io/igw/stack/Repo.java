package io.igw.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository a stack runs from: the njs scripts, the templates and the built jars,
 * found from the working directory up (Maven runs a module's tests in the module's folder, the
 * benchmarks run from the root).
 */
public final class Repo {
  public static final String SIMULATOR_JAR = "tests/simulator/target/igw-simulator.jar";
  public static final String PICKER_JAR = "picker/target/igw-picker.jar";
  public static final String CONTROLLER_JAR = "controller/target/igw-controller.jar";

  private Repo() {}

  /** The folder or file {@code name} (e.g. "njs") in the nearest folder above that holds it. */
  public static Path path(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(name))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(name + " not found above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve(name);
  }

  /** A jar ./igw build makes, e.g. {@link #PICKER_JAR}; fails when it is not built. */
  public static Path jar(String path) throws IOException {
    try {
      return path(path);
    } catch (IllegalStateException e) {
      throw new IOException(path + " missing: run ./igw build");
    }
  }
}
