package io.igw.bench.lab;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.kvcache.KvEventBatch;
import io.igw.picker.kvcache.KvEventDecodeException;
import io.igw.picker.kvcache.KvEventDecoder;
import io.igw.picker.kvcache.KvEventIndex;
import io.igw.simulator.kvevents.KvEventBatchEncoder;
import io.igw.simulator.kvevents.KvEventEncoding;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lab's engines' KV events into a precise picker's {@link KvEventIndex}, through the bytes the
 * live path carries: each batch is written as the simulator's publisher writes it (msgpack, the map
 * encoding of current vLLM), read back by the picker's own {@link KvEventDecoder} and applied to
 * the index under the endpoint's address and the model of its topic ({@code kv@<pod>@<model>}), as
 * the picker's subscriptions do. Delivery follows {@link KvEventDelivery}: a virtual delay after
 * the step (the engine's own delayed listener), lost batches drawn from a seeded generator, and
 * optionally replayed when the next batch reveals the gap. Runs on the lab's one thread.
 */
final class LabKvEvents {
  /** What the feed did over a run. */
  record Counts(
      long batches,
      long applied,
      long lost,
      long replayed,
      long decodeErrors,
      long tokenized,
      long untokenized) {}

  private final KvEventIndex index;
  private final KvEventDelivery delivery;
  private final String model;
  private final SplittableRandom random;
  private final KvEventBatchEncoder encoder = new KvEventBatchEncoder(KvEventEncoding.MAP);
  private long batches;
  private long applied;
  private long lost;
  private long replayed;
  private long decodeErrors;

  LabKvEvents(KvEventIndex index, KvEventDelivery delivery, String model, long seed) {
    this.index = index;
    this.delivery = delivery;
    this.model = model;
    this.random = new SplittableRandom(seed ^ 0x6b76L);
  }

  /** Subscribes to every server: {@code states.get(i)} is the picker's view of server i. */
  void attach(List<LabServer> servers, List<EndpointState> states) {
    for (int i = 0; i < servers.size(); i++) {
      Subscription subscription = new Subscription(i, states.get(i).address());
      servers.get(i).engine().setKvEventListener(subscription::onBatch, delivery.delayMillis());
    }
  }

  /** What the feed did, with the picks that had ({@code tokens}) the request's token ids. */
  Counts counts(LabTokenProducer tokens) {
    return new Counts(
        batches,
        applied,
        lost,
        replayed,
        decodeErrors,
        tokens == null ? 0 : tokens.produced(),
        tokens == null ? 0 : tokens.missed());
  }

  /** One endpoint's live socket: batches in order, some lost, gaps replayed when allowed. */
  private final class Subscription {
    private final int server;
    private final String address;
    private final java.util.ArrayDeque<byte[]> missing = new java.util.ArrayDeque<>();
    private double lastReplaySeconds = Double.NEGATIVE_INFINITY;

    Subscription(int server, String address) {
      this.server = server;
      this.address = address;
    }

    void onBatch(io.igw.simulator.kvevents.KvEventBatch batch) {
      batches++;
      byte[] payload = encoder.encode(batch);
      boolean dropped =
          delivery.outage().covers(server, batch.timestamp())
              || delivery.lossFraction() > 0 && random.nextDouble() < delivery.lossFraction();
      if (dropped) {
        // the engine keeps it for replay, its last REPLAY_BUFFER_BATCHES only; the subscriber
        // never sees it
        missing.addLast(payload);
        if (missing.size() > KvEventDelivery.REPLAY_BUFFER_BATCHES) {
          missing.removeFirst();
          lost++;
        }
        return;
      }
      if (!missing.isEmpty()) {
        double now = batch.timestamp() + delivery.delayMillis() / 1000.0;
        boolean cooledDown =
            now - lastReplaySeconds >= KvEventDelivery.REPLAY_COOLDOWN_MILLIS / 1000.0;
        if (delivery.replay() && cooledDown) {
          lastReplaySeconds = now;
          for (byte[] m : missing) {
            apply(m);
            replayed++;
          }
        } else {
          lost += missing.size();
        }
        missing.clear();
      }
      apply(payload);
    }

    private void apply(byte[] payload) {
      KvEventBatch decoded;
      try {
        decoded = KvEventDecoder.decode(payload);
      } catch (KvEventDecodeException e) {
        decodeErrors++;
        return;
      }
      index.apply(address, model, decoded);
      applied++;
    }
  }
}
