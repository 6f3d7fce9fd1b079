package io.igw.bench.lab;

/** A named routing policy that builds a fresh router (with fresh plugin state) for each run. */
public record Policy(String name, String description, Factory factory) {

  /** Builds the router for one run over {@code cluster}; its seed feeds any random choice. */
  @FunctionalInterface
  public interface Factory {
    Router create(LabCluster cluster);
  }

  public Router create(LabCluster cluster) {
    return factory.create(cluster);
  }
}
