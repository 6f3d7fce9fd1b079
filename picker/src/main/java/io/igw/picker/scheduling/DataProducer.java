package io.igw.picker.scheduling;

import io.vertx.core.Future;

/**
 * Optional plugin kind: runs before a request's scheduling cycle and puts what it learns into
 * {@link ProducedData} (upstream's PrepareData plugins; {@code token-producer}). Its future must
 * complete within the producer's own bound and must not fail: a producer that cannot produce leaves
 * the data out, and its consumers fall back.
 */
public interface DataProducer extends Plugin {
  Future<Void> produce(ProduceRequest request, ProducedData data);
}
