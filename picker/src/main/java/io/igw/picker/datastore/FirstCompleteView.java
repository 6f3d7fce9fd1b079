package io.igw.picker.datastore;

import java.util.function.BooleanSupplier;

/**
 * Whether the picker has its first complete view: the datastore is synced (informers, or manifests read) and every
 * endpoint known then has been scraped and asked for its models once, successfully or not. Picks before that would
 * be made blind (no queue, no adapters), so readiness waits for it. Latched: once reached it stays, so endpoints that
 * join later never take a serving picker out of its Service.
 */
public final class FirstCompleteView {
  private final Datastore datastore;
  private final BooleanSupplier synced;
  private volatile boolean reached;

  public FirstCompleteView(Datastore datastore, BooleanSupplier synced) {
    this.datastore = datastore;
    this.synced = synced;
  }

  public boolean reached() {
    if (!reached && synced.getAsBoolean() && observedEndpoints() == datastore.endpoints().size()) {
      reached = true;
    }
    return reached;
  }

  /** Endpoints the picker has looked at so far (see {@link EndpointState#observed()}). */
  public int observedEndpoints() {
    int n = 0;
    for (EndpointState e : datastore.endpoints()) {
      n += e.observed() ? 1 : 0;
    }
    return n;
  }
}
