package io.igw.bench.faults;

import java.nio.file.Path;

/** The built jars the cluster runs (./igw build), relative to the repository root. */
final class Jars {
  static final Path SIMULATOR = Path.of("tests/simulator/target/igw-simulator.jar");
  static final Path PICKER = Path.of("picker/target/igw-picker.jar");
  static final Path CONTROLLER = Path.of("controller/target/igw-controller.jar");

  private Jars() {}
}
