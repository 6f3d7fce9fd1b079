package io.igw.picker.extproc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.igw.api.InferencePoolSpec;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolName;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which pools the bridge serves, and where their EPP is: a pool whose endpointPickerRef names a
 * Service other than igw's own picker. The address is the Service's {@code spec.clusterIP} from its
 * manifest in local mode (no manifest: not bridged, the controller reports the ref unresolved), its
 * cluster DNS name {@code name.namespace.svc} in Kubernetes mode; the port is the ref's.
 */
public final class EppResolver {
  private final Datastore datastore;
  private final ExtProcOptions options;
  private final Map<String, String> serviceAddresses;
  private final boolean clusterDns;

  /**
   * @param clusterDns Kubernetes mode: Services are reached by their cluster DNS name
   */
  public EppResolver(
      Datastore datastore,
      ExtProcOptions options,
      Collection<? extends HasMetadata> resources,
      boolean clusterDns) {
    this.datastore = datastore;
    this.options = options;
    this.serviceAddresses = serviceAddresses(resources);
    this.clusterDns = clusterDns;
  }

  /** The foreign EPP of the pool, or null when the pool is picked in-process (or unknown). */
  public EppTarget target(PoolName name) {
    Pool pool = datastore.pool(name);
    InferencePoolSpec.EndpointPickerRef ref =
        pool == null || pool.spec() == null ? null : pool.spec().endpointPickerRef();
    if (io.igw.api.OwnPickerService.picks(options.getOwnService(), name.namespace(), ref)
        || ref.name() == null
        || ref.port() == null
        || ref.port().number() == null) {
      return null;
    }
    String key = name.namespace() + "/" + ref.name();
    String host =
        serviceAddresses.getOrDefault(
            key, clusterDns ? ref.name() + "." + name.namespace() + ".svc" : null);
    return host == null
        ? null
        : new EppTarget(host, ref.port().number(), options.eppTlsFor(name.toString()));
  }

  /**
   * The pool's endpoints as the gateway knows them (the subset hint a bridged pick carries), or
   * null.
   */
  public java.util.Set<String> endpoints(PoolName name) {
    Pool pool = datastore.pool(name);
    if (pool == null || pool.endpoints().isEmpty()) {
      return null;
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    pool.endpoints().forEach(e -> out.add(e.address()));
    return out;
  }

  /** The foreign EPPs the pools known now are bridged to, each once. */
  public java.util.Set<EppTarget> targets() {
    java.util.Set<EppTarget> out = new java.util.LinkedHashSet<>();
    for (Pool pool : datastore.pools()) {
      EppTarget target = target(pool.name());
      if (target != null) {
        out.add(target);
      }
    }
    return out;
  }

  /** Whether any pool may be bridged (always in Kubernetes mode, where pools come later). */
  public boolean mayBridge() {
    return clusterDns || datastore.pools().stream().anyMatch(p -> target(p.name()) != null);
  }

  private static Map<String, String> serviceAddresses(Collection<? extends HasMetadata> resources) {
    Map<String, String> out = new HashMap<>();
    for (HasMetadata r : resources) {
      if (r instanceof Service s
          && s.getSpec() != null
          && s.getSpec().getClusterIP() != null
          && !s.getSpec().getClusterIP().isBlank()
          && !"None".equals(s.getSpec().getClusterIP())) {
        String ns =
            s.getMetadata().getNamespace() == null
                ? PoolName.DEFAULT_NAMESPACE
                : s.getMetadata().getNamespace();
        out.put(ns + "/" + s.getMetadata().getName(), s.getSpec().getClusterIP());
      }
    }
    return Map.copyOf(out);
  }
}
