package io.igw.picker.core;

import io.igw.picker.scheduling.PrefixMatch;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * A successful pick.
 *
 * @param endpoints {@code ip:port} in order: the pick first, then the fallbacks
 * @param targetModel the model after any rewrite, or null when the request named none (or a foreign
 *     EPP picked)
 * @param rewrittenBody the body to send upstream instead of the client's, or null when unchanged
 * @param upstreamHeaders request headers to set upstream (a foreign EPP's header mutations); empty
 *     in-process
 * @param prefixMatches what the prefix-cache plugins found for the chosen endpoint (the picker's
 *     metrics)
 * @param usageChunkAdded the rewritten body asks for a usage chunk the client did not ask for
 *     ({@code stream_options.include_usage}): the data plane drops it before the client
 * @param clientHeaders headers for the client's response (the rate limits' {@code x-ratelimit-*});
 *     empty when none
 */
public record PickResult(
    List<String> endpoints,
    String targetModel,
    Buffer rewrittenBody,
    Map<String, String> upstreamHeaders,
    List<PrefixMatch> prefixMatches,
    boolean usageChunkAdded,
    Map<String, String> clientHeaders) {
  public PickResult {
    if (usageChunkAdded && rewrittenBody == null) {
      throw new IllegalArgumentException("a usage chunk is added only by a rewritten body");
    }
    endpoints = List.copyOf(endpoints);
    upstreamHeaders =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreamHeaders));
    prefixMatches = List.copyOf(prefixMatches);
    clientHeaders =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clientHeaders));
  }

  public PickResult(
      List<String> endpoints,
      String targetModel,
      Buffer rewrittenBody,
      Map<String, String> upstreamHeaders,
      List<PrefixMatch> prefixMatches,
      boolean usageChunkAdded) {
    this(
        endpoints,
        targetModel,
        rewrittenBody,
        upstreamHeaders,
        prefixMatches,
        usageChunkAdded,
        Map.of());
  }

  public PickResult(
      List<String> endpoints,
      String targetModel,
      Buffer rewrittenBody,
      Map<String, String> upstreamHeaders,
      List<PrefixMatch> prefixMatches) {
    this(endpoints, targetModel, rewrittenBody, upstreamHeaders, prefixMatches, false, Map.of());
  }

  /** The same pick with {@code headers} for the client's response (replacing any before). */
  public PickResult withClientHeaders(Map<String, String> headers) {
    return new PickResult(
        endpoints,
        targetModel,
        rewrittenBody,
        upstreamHeaders,
        prefixMatches,
        usageChunkAdded,
        headers);
  }
}
