package io.igw.picker.datastore;

/**
 * One model server endpoint of a pool: a ready pod's IP and one of the pool's target ports.
 *
 * @param address {@code ip:port} as NGINX takes it ({@code [v6]:port} for IPv6)
 * @param engine the model server engine from the pod label {@value #ENGINE_LABEL} ({@code vllm}
 *     when unset)
 */
public record Endpoint(
    PoolName pool, String podName, String ip, int port, String address, String engine) {
  public static final String ENGINE_LABEL = "inference.networking.k8s.io/engine-type";
  public static final String DEFAULT_ENGINE = "vllm";

  public static Endpoint of(PoolName pool, String podName, String ip, int port, String engine) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return new Endpoint(
        pool, podName, ip, port, host + ":" + port, engine == null ? DEFAULT_ENGINE : engine);
  }
}
