package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.List;

/**
 * How many of a request's leading prompt blocks each candidate holds, as one prefix-match producer
 * (the approximate prefix-cache-scorer, or the precise-prefix-cache-producer over KV events)
 * believes.
 *
 * @param candidates the candidates matched ({@code matched[i]} is for {@code candidates.get(i)})
 * @param matched leading blocks held, per candidate
 * @param totalBlocks the request's blocks; 0 when the prompt is empty
 */
public record PrefixMatches(List<EndpointState> candidates, int[] matched, int totalBlocks) {

  /** Matched / total for candidate {@code i}; 0 for an empty prompt. */
  public double ratio(int i) {
    return totalBlocks == 0 ? 0 : Math.min(1.0, (double) matched[i] / totalBlocks);
  }
}
