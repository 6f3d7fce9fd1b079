package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/**
 * Optional ability: answers, once per cycle and candidate list, how much of the request's prefix
 * each candidate holds. Scorers name the producer they read with {@code
 * prefixMatchInfoProducerName}.
 */
public interface PrefixMatchProducer extends Plugin {
  PrefixMatches prefixMatches(SchedulingContext context, List<EndpointState> candidates);
}
