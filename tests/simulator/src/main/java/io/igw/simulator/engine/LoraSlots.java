package io.igw.simulator.engine;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The adapters resident on the GPU: at most {@code max-loras}, least recently used evicted first. A
 * step that needs an adapter that is not resident pays its load time.
 */
final class LoraSlots {

  private final LinkedHashSet<String> resident = new LinkedHashSet<>();
  private long loads;

  /** Makes every adapter of the batch resident and returns how many had to be loaded. */
  int makeResident(Set<String> batchAdapters, int capacity) {
    int loaded = 0;
    for (String adapter : batchAdapters) {
      if (resident.remove(adapter)) {
        resident.add(adapter);
        continue;
      }
      evictOneOutside(batchAdapters, capacity);
      resident.add(adapter);
      loaded++;
    }
    loads += loaded;
    return loaded;
  }

  boolean isResident(String adapter) {
    return resident.contains(adapter);
  }

  long loads() {
    return loads;
  }

  private void evictOneOutside(Set<String> batchAdapters, int capacity) {
    Iterator<String> oldest = resident.iterator();
    while (resident.size() >= capacity && oldest.hasNext()) {
      if (!batchAdapters.contains(oldest.next())) {
        oldest.remove();
      }
    }
  }
}
