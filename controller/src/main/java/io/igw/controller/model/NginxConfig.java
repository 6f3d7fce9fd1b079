package io.igw.controller.model;

import java.util.List;

/** Everything the nginx.conf template needs. */
public record NginxConfig(
    RuntimeSettings settings,
    List<ServerBlock> servers,
    List<PoolBlock> pools,
    List<Certificate> certificates,
    List<AppendedHeader> appendedHeaders) {
  public NginxConfig {
    servers = List.copyOf(servers);
    pools = List.copyOf(pools);
    certificates = List.copyOf(certificates);
    appendedHeaders = List.copyOf(appendedHeaders);
  }

  /** Every endpoint of every pool, for the endpoint → keepalive-upstream map. */
  public List<EndpointUpstream> endpoints() {
    return pools.stream().flatMap(p -> p.endpoints().stream()).distinct().toList();
  }

  /**
   * A listener certificate, written to conf/certs/{id}.crt and .key; the id carries a hash of the
   * content so a new certificate never overwrites the one a running NGINX uses.
   */
  public record Certificate(String id, String certificatePem, String keyPem) {
    public static Certificate of(String name, String certificatePem, String keyPem) {
      try {
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(
                    (certificatePem + keyPem).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Certificate(
            name + "-" + java.util.HexFormat.of().formatHex(digest, 0, 6), certificatePem, keyPem);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    public String certPath() {
      return "certs/" + id + ".crt";
    }

    public String keyPath() {
      return "certs/" + id + ".key";
    }
  }
}
