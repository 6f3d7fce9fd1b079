package io.igw.controller.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.igw.api.InferencePool;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every resource the controller reads, keyed by "namespace/name"; v1alpha2 pools are already converted. */
public record ClusterSnapshot(
    Map<String, GatewayClass> gatewayClasses,
    Map<String, Gateway> gateways,
    Map<String, HTTPRoute> routes,
    Map<String, InferencePool> pools,
    Map<String, Pod> pods) {

  public static ClusterSnapshot of(Collection<? extends HasMetadata> resources) {
    return new ClusterSnapshot(
        index(resources, GatewayClass.class, r -> r),
        index(resources, Gateway.class, r -> r),
        index(resources, HTTPRoute.class, r -> r),
        pools(resources),
        index(resources, Pod.class, r -> r));
  }

  public static String key(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return (ns == null ? "" : ns) + "/" + r.getMetadata().getName();
  }

  private static Map<String, InferencePool> pools(Collection<? extends HasMetadata> resources) {
    Map<String, InferencePool> pools = new TreeMap<>(
        index(resources, io.igw.api.v1alpha2.InferencePool.class, io.igw.api.v1alpha2.InferencePool::toV1));
    pools.putAll(index(resources, InferencePool.class, r -> r));
    return pools;
  }

  private static <T extends HasMetadata, R> Map<String, R> index(
      Collection<? extends HasMetadata> resources, Class<T> type, Function<T, R> convert) {
    return resources.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .collect(Collectors.toMap(ClusterSnapshot::key, convert, (a, b) -> b, TreeMap::new));
  }

  public List<Pod> podList() {
    return List.copyOf(pods.values());
  }
}
