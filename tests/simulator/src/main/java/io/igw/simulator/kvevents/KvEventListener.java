package io.igw.simulator.kvevents;

/** Receives an engine's KV-cache events, one batch per engine step that changed the cache. */
@FunctionalInterface
public interface KvEventListener {

  void onBatch(KvEventBatch batch);
}
