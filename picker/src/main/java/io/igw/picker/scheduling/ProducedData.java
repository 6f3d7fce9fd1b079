package io.igw.picker.scheduling;

import java.util.HashMap;
import java.util.Map;

/**
 * What the {@link DataProducer}s found out about one request before it is scheduled (its token
 * ids), keyed by the type of the value; the cycle reads it with {@link
 * SchedulingContext#produced(Class)}. One pick's, not shared between threads while it is written.
 */
public final class ProducedData {
  private final Map<Class<?>, Object> values = new HashMap<>(2);

  public <T> void put(Class<T> type, T value) {
    values.put(type, type.cast(value));
  }

  /** The value of {@code type}, or null when no producer gave one. */
  public <T> T get(Class<T> type) {
    return type.cast(values.get(type));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
