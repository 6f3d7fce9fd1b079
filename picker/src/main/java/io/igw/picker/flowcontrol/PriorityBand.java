package io.igw.picker.flowcontrol;

import io.igw.picker.scheduling.config.BandLimits;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The requests of one priority waiting in arrival order, with their total size; removal from the
 * middle is O(1).
 */
final class PriorityBand<T> {
  private final int priority;
  private final BandLimits limits;
  private final LinkedHashSet<FlowItem<T>> items = new LinkedHashSet<>();
  private long bytes;

  PriorityBand(int priority, BandLimits limits) {
    this.priority = priority;
    this.limits = limits;
  }

  int priority() {
    return priority;
  }

  boolean fits(long itemBytes) {
    return items.size() < limits.maxRequests() && bytes + itemBytes <= limits.maxBytes();
  }

  void add(FlowItem<T> item) {
    items.add(item);
    bytes += item.bytes();
  }

  /** The oldest request, or null. */
  FlowItem<T> head() {
    if (items.isEmpty()) {
      return null;
    }
    Iterator<FlowItem<T>> it = items.iterator();
    return it.next();
  }

  boolean remove(FlowItem<T> item) {
    if (!items.remove(item)) {
      return false;
    }
    bytes -= item.bytes();
    return true;
  }

  int size() {
    return items.size();
  }

  long bytes() {
    return bytes;
  }
}
