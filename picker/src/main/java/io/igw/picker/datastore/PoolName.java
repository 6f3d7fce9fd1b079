package io.igw.picker.datastore;

/**
 * Namespaced name of an InferencePool, written {@code namespace/name} (the pick API's {@code pool}
 * parameter).
 */
public record PoolName(String namespace, String name) {
  public static final String DEFAULT_NAMESPACE = "default";

  /**
   * Parses {@code ns/name}; a bare {@code name} is in the default namespace. Returns null when
   * malformed.
   */
  public static PoolName parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new PoolName(DEFAULT_NAMESPACE, text);
    }
    if (slash == 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    return new PoolName(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
