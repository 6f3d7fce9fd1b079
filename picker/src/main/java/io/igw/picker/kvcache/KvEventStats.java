package io.igw.picker.kvcache;

/**
 * The subscriptions' counts at one moment, since start, with their index's.
 *
 * @param subscriptions endpoints subscribed now
 * @param batches batches applied to the index (live and replayed)
 * @param events events applied
 * @param skippedEvents events that could not be read inside otherwise good batches
 * @param decodeErrors payloads that were not a batch
 * @param malformedFrames messages without the three frames (topic, 8-byte seq, payload)
 * @param gaps sequence gaps seen on live sockets
 * @param lostBatches batches never received (a gap no replay covered)
 * @param restarts publishers seen starting over (seq back to 0)
 * @param replaysRequested replays asked for
 * @param replaysCompleted replays that reached the end marker
 * @param replaysFailed replays abandoned (no end marker in time, or no permit in time)
 * @param replayedBatches batches applied from replays
 * @param droppedWhileReplaying live batches dropped because too many were held during a replay
 * @param refusedEndpoints endpoints not subscribed because the loopback guard refused their address
 * @param lastLagMillis receive time minus engine timestamp of the last live batch
 */
public record KvEventStats(
    int subscriptions,
    long batches,
    long events,
    long skippedEvents,
    long decodeErrors,
    long malformedFrames,
    long gaps,
    long lostBatches,
    long restarts,
    long replaysRequested,
    long replaysCompleted,
    long replaysFailed,
    long replayedBatches,
    long droppedWhileReplaying,
    long refusedEndpoints,
    long lastLagMillis,
    KvIndexStats index) {}
