package io.igw.controller.model;

import java.util.List;

/** Everything the nginx.conf template needs. */
public record NginxConfig(RuntimeSettings settings, List<ServerBlock> servers, List<PoolBlock> pools) {
  public NginxConfig {
    servers = List.copyOf(servers);
    pools = List.copyOf(pools);
  }

  /** Every endpoint of every pool, for the endpoint → keepalive-upstream map. */
  public List<EndpointUpstream> endpoints() {
    return pools.stream().flatMap(p -> p.endpoints().stream()).distinct().toList();
  }
}
