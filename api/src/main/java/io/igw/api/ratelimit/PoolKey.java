package io.igw.api.ratelimit;

/** Namespaced name of an InferencePool a policy limits, written {@code namespace/name}. */
public record PoolKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
