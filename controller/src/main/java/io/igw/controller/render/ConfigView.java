package io.igw.controller.render;

import io.igw.controller.model.AppendedHeader;
import io.igw.controller.model.EndpointUpstream;
import io.igw.controller.model.NginxConfig;
import io.igw.controller.model.PoolBlock;
import io.igw.controller.model.RuntimeSettings;
import java.util.List;

/**
 * What nginx.conf.mustache reads: the gateway model, with every value that becomes nginx.conf text
 * (quoted strings, directive arguments, the values for njs) already written by {@link NginxText}
 * and {@link NjsValues}.
 */
public record ConfigView(
    RuntimeSettings settings,
    List<ServerView> servers,
    List<PoolBlock> pools,
    List<EndpointUpstream> endpoints,
    List<AppendedHeaderView> appendedHeaders,
    List<String> poolEndpointKeys,
    ErrorAnswers errors) {

  /**
   * A header a RequestHeaderModifier appends to: the map from the client's value to "value," (""
   * when absent).
   */
  public record AppendedHeaderView(
      String clientVariable, String variable, String clientValueThenComma) {
    static AppendedHeaderView of(AppendedHeader header) {
      return new AppendedHeaderView(
          header.clientVariable(),
          header.variable(),
          NginxText.quotedString().variable(header.clientVariable()).literal(",").toString());
    }
  }

  /** An entry of the endpoint → keepalive-upstream map: the endpoint as a quoted key. */
  public record EndpointKey(String key, String upstreamName) {}

  public static ConfigView of(NginxConfig config) {
    List<String> keys =
        config.pools().stream()
            .flatMap(
                p ->
                    p.endpoints().stream()
                        .map(e -> NjsValues.poolEndpointKey(p.name(), e.address())))
            .distinct()
            .toList();
    return new ConfigView(
        config.settings(),
        config.servers().stream().map(ServerView::of).toList(),
        config.pools(),
        config.endpoints(),
        config.appendedHeaders().stream().map(AppendedHeaderView::of).toList(),
        keys.stream().map(NginxText::quoted).toList(),
        new ErrorAnswers(config.settings().bodyLimitBytes()));
  }

  public List<EndpointKey> endpointUpstreamKeys() {
    return endpoints.stream()
        .map(e -> new EndpointKey(NginxText.quoted(e.address()), e.upstreamName()))
        .toList();
  }

  /** Big enough for the longest map key (nginx -t fails on a key that does not fit a bucket). */
  public int mapHashBucketSize() {
    int longest =
        java.util.stream.Stream.concat(
                poolEndpointKeys.stream().map(k -> k.length() - 2),
                endpoints.stream().map(EndpointUpstream::address).map(String::length))
            .mapToInt(Integer::intValue)
            .max()
            .orElse(0);
    return Math.max(64, Integer.highestOneBit(longest + 32) * 2);
  }

  /** Enough buckets for every key of the largest map. */
  public int mapHashMaxSize() {
    return Math.max(2048, Integer.highestOneBit(Math.max(1, poolEndpointKeys.size())) * 4);
  }
}
