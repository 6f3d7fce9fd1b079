package io.igw.picker.kvcache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the subscriptions counted, shared by their poller threads. Thread-safe. */
final class KvEventCounters {
  final LongAdder batches = new LongAdder();
  final LongAdder events = new LongAdder();
  final LongAdder skippedEvents = new LongAdder();
  final LongAdder decodeErrors = new LongAdder();
  final LongAdder malformedFrames = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder lostBatches = new LongAdder();
  final LongAdder restarts = new LongAdder();
  final LongAdder replaysRequested = new LongAdder();
  final LongAdder replaysCompleted = new LongAdder();
  final LongAdder replaysFailed = new LongAdder();
  final LongAdder replayedBatches = new LongAdder();
  final LongAdder droppedWhileReplaying = new LongAdder();
  final LongAdder refusedEndpoints = new LongAdder();

  /** Receive time minus the engine's timestamp of the last live batch applied, in milliseconds. */
  final AtomicLong lastLagMillis = new AtomicLong();

  KvEventStats snapshot(int subscriptions, KvIndexStats index) {
    return new KvEventStats(
        subscriptions,
        batches.sum(),
        events.sum(),
        skippedEvents.sum(),
        decodeErrors.sum(),
        malformedFrames.sum(),
        gaps.sum(),
        lostBatches.sum(),
        restarts.sum(),
        replaysRequested.sum(),
        replaysCompleted.sum(),
        replaysFailed.sum(),
        replayedBatches.sum(),
        droppedWhileReplaying.sum(),
        refusedEndpoints.sum(),
        lastLagMillis.get(),
        index);
  }
}
