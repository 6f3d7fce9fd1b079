package io.igw.simulator.kvevents;

import java.util.Locale;

/**
 * How events are written inside a batch. vLLM's msgspec structs were positional arrays ({@code
 * ["BlockStored", hashes, parent, …]}) up to v0.23 and became maps keyed by field name ({@code
 * {"type":"BlockStored", …}}) in vLLM PR 42892; the batch itself stays an array in both.
 */
public enum KvEventEncoding {
  ARRAY,
  MAP;

  public static final KvEventEncoding DEFAULT = MAP;

  public static KvEventEncoding named(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown KV event encoding '" + name + "': array or map");
    }
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
