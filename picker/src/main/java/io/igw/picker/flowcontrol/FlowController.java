package io.igw.picker.flowcontrol;

import io.igw.picker.scheduling.config.FlowControlConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The flow-control queue of one pool. {@link #offer} admits a request at once when nothing of its
 * priority or higher waits and the pool is not saturated, else queues it in its priority band, or
 * refuses it when the band (or all bands together) is full. {@link #dispatchReady} releases waiting
 * requests, highest priority first and FIFO within a band, asking the saturation predicate again
 * before each one: every dispatched pick raises the endpoints' unreported-pick counts, so one call
 * releases only as many as the pool takes. {@link #expire} evicts requests past their TTL, {@link
 * #remove} one whose client went away.
 *
 * <p>Time is passed in (live clock or the lab's virtual time). Not thread-safe: the caller confines
 * or locks it. Every request gets the same TTL, so within a band deadlines are in arrival order and
 * expiry stops at the first request still in time.
 */
public final class FlowController<T> {
  /** What {@link #offer} did with a request. */
  public enum Offer {
    ADMITTED,
    QUEUED,
    REFUSED
  }

  private final FlowControlConfig config;
  private final BooleanSupplier saturated;

  /** Highest priority first. */
  private final TreeMap<Integer, PriorityBand<T>> bands = new TreeMap<>(Collections.reverseOrder());

  private int queued;
  private long queuedBytes;

  /**
   * {@code saturated}: whether the pool is saturated now (asked on each offer and before each
   * dispatch).
   */
  public FlowController(FlowControlConfig config, BooleanSupplier saturated) {
    this.config = config;
    this.saturated = saturated;
  }

  public Offer offer(FlowItem<T> item, long nowMillis) {
    if (item.isQueued()) {
      throw new IllegalStateException("the request is already queued");
    }
    if (!waitingAtOrAbove(item.priority()) && !saturated.getAsBoolean()) {
      return Offer.ADMITTED;
    }
    PriorityBand<T> band = band(item.priority());
    if (!band.fits(item.bytes())
        || config.maxBytes() > 0 && queuedBytes + item.bytes() > config.maxBytes()) {
      return Offer.REFUSED;
    }
    band.add(item);
    item.enqueued(band, nowMillis, saturatingAdd(nowMillis, config.requestTtlMillis()));
    queued++;
    queuedBytes += item.bytes();
    return Offer.QUEUED;
  }

  /**
   * Releases waiting requests to {@code dispatch} while the pool is not saturated; returns how
   * many.
   */
  public int dispatchReady(long nowMillis, Consumer<FlowItem<T>> dispatch) {
    int released = 0;
    while (queued > 0 && !saturated.getAsBoolean()) {
      FlowItem<T> next = highestHead();
      take(next);
      released++;
      dispatch.accept(next);
    }
    return released;
  }

  /**
   * Evicts the requests whose deadline is at or before {@code nowMillis} to {@code evicted};
   * returns how many.
   */
  public int expire(long nowMillis, Consumer<FlowItem<T>> evicted) {
    if (queued == 0) {
      return 0;
    }
    List<FlowItem<T>> expired = new ArrayList<>();
    for (PriorityBand<T> band : bands.values()) {
      FlowItem<T> head = band.head();
      while (head != null && head.deadlineMillis() <= nowMillis) {
        take(head);
        expired.add(head);
        head = band.head();
      }
    }
    expired.forEach(evicted);
    return expired.size();
  }

  /** Takes a waiting request out (its client went away); false when it was not waiting. */
  public boolean remove(FlowItem<T> item) {
    if (!item.isQueued()) {
      return false;
    }
    take(item);
    return true;
  }

  public int queued() {
    return queued;
  }

  public long queuedBytes() {
    return queuedBytes;
  }

  public int queued(int priority) {
    PriorityBand<T> band = bands.get(priority);
    return band == null ? 0 : band.size();
  }

  public long queuedBytes(int priority) {
    PriorityBand<T> band = bands.get(priority);
    return band == null ? 0 : band.bytes();
  }

  private boolean waitingAtOrAbove(int priority) {
    if (queued == 0) {
      return false;
    }
    for (PriorityBand<T> band : bands.headMap(priority, true).values()) {
      if (band.size() > 0) {
        return true;
      }
    }
    return false;
  }

  private FlowItem<T> highestHead() {
    for (PriorityBand<T> band : bands.values()) {
      if (band.size() > 0) {
        return band.head();
      }
    }
    throw new IllegalStateException("queued=" + queued + " but every band is empty");
  }

  private void take(FlowItem<T> item) {
    item.band().remove(item);
    item.dequeued();
    queued--;
    queuedBytes -= item.bytes();
  }

  /** Bands are made on first use (a priority not configured gets the default limits) and kept. */
  private PriorityBand<T> band(int priority) {
    PriorityBand<T> band = bands.get(priority);
    if (band == null) {
      band = new PriorityBand<>(priority, config.limits(priority));
      bands.put(priority, band);
    }
    return band;
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
