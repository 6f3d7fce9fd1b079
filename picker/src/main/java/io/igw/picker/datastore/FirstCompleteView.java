package io.igw.picker.datastore;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether the picker has its first complete view: the datastore is synced (informers, or manifests
 * read) and every endpoint known then has been scraped and asked for its models once, successfully
 * or not. Picks before that would be made blind (no queue, no adapters), so readiness waits for it.
 * Latched: once reached it stays, so endpoints that join later never take a serving picker out of
 * its Service.
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
    if (!reached && synced.getAsBoolean()) {
      List<EndpointState> endpoints = datastore.endpoints();
      reached = observed(endpoints) == endpoints.size();
    }
    return reached;
  }

  /**
   * How many of {@code endpoints} the picker has looked at so far (see {@link
   * EndpointState#observed()}).
   */
  public static int observed(List<EndpointState> endpoints) {
    int n = 0;
    for (EndpointState e : endpoints) {
      n += e.observed() ? 1 : 0;
    }
    return n;
  }
}
