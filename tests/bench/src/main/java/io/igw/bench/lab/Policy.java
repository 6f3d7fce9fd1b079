package io.igw.bench.lab;

import java.util.List;

/** A named routing policy that builds a fresh router (with fresh plugin state) for each run. */
public record Policy(String name, String description, Factory factory) {

  /** Builds the router for one run over {@code servers}; {@code seed} feeds any random choice. */
  @FunctionalInterface
  public interface Factory {
    Router create(List<LabServer> servers, long seed);
  }

  public Router create(List<LabServer> servers, long seed) {
    return factory.create(servers, seed);
  }
}
