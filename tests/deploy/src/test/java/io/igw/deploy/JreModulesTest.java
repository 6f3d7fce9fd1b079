package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image's jlink'd JRE (charts/igw/image/jre-modules) has the modules jdeps finds in igw's jars,
 * and no others.
 */
class JreModulesTest {
  /** Modules the code reaches at run time through a service or provider, which jdeps cannot see. */
  static final Set<String> RUNTIME_ONLY = Set.of("jdk.crypto.ec");

  static final List<String> COMPONENTS =
      List.of(
          "controller/target/igw-controller.jar",
          "picker/target/igw-picker.jar",
          "tests/simulator/target/igw-simulator.jar");

  @Test
  void theJreHasWhatJdepsFindsPlusTheRuntimeOnlyModules() throws IOException {
    Set<String> listed = listedModules();
    Set<String> found = jdepsModules();
    assertThat(found).as("jdeps over the jars").contains("java.base");
    assertThat(listed).as("jre-modules lacks a module the code needs").containsAll(found);
    Set<String> extra = new TreeSet<>(listed);
    extra.removeAll(found);
    assertThat(extra)
        .as("jre-modules has a module jdeps does not find: drop it or say here why it is needed")
        .isEqualTo(RUNTIME_ONLY);
  }

  static Set<String> listedModules() throws IOException {
    return Files.readAllLines(Repo.root().resolve("charts/igw/image/jre-modules")).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> jdepsModules() throws IOException {
    Path root = Repo.root();
    List<String> classPath = new ArrayList<>();
    for (String component : COMPONENTS) {
      Path jar = root.resolve(component);
      assertThat(jar).as("built by the reactor before this module").isRegularFile();
      try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
        libs.map(Path::toString).filter(p -> p.endsWith(".jar")).forEach(classPath::add);
      }
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--ignore-missing-deps",
                "--multi-release",
                "17",
                "--print-module-deps",
                "--recursive",
                "--class-path",
                String.join(":", new TreeSet<>(classPath))));
    COMPONENTS.forEach(c -> args.add(root.resolve(c).toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    int rc =
        jdeps.run(
            new PrintStream(out, true), new PrintStream(err, true), args.toArray(String[]::new));
    assertThat(rc).as("jdeps: %s", err).isZero();
    String[] lines = out.toString().trim().split("\n");
    return Arrays.stream(lines[lines.length - 1].trim().split(","))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
