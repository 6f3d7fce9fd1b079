package io.igw.controller.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every resource the controller reads, keyed by "namespace/name"; v1alpha2 pools are converted to
 * v1 and their keys kept in {@code legacyPools} so status is written in the version read.
 * TokenRateLimitPolicies are only read for their status (the picker enforces them).
 */
public record ClusterSnapshot(
    Map<String, GatewayClass> gatewayClasses,
    Map<String, Gateway> gateways,
    Map<String, HTTPRoute> routes,
    Map<String, InferencePool> pools,
    Map<String, Pod> pods,
    Map<String, Service> services,
    Map<String, Secret> secrets,
    Map<String, Namespace> namespaces,
    List<ReferenceGrantView> referenceGrants,
    Set<String> legacyPools,
    Map<String, TokenRateLimitPolicy> rateLimitPolicies) {

  /** A ReferenceGrant of either API version: who may refer to what in its namespace. */
  public record ReferenceGrantView(String namespace, List<From> from, List<To> to) {
    public record From(String group, String kind, String namespace) {}

    public record To(String group, String kind, String name) {}
  }

  public static ClusterSnapshot of(Collection<? extends HasMetadata> resources) {
    return new ClusterSnapshot(
        index(resources, GatewayClass.class, r -> r),
        index(resources, Gateway.class, r -> r),
        index(resources, HTTPRoute.class, r -> r),
        pools(resources),
        index(resources, Pod.class, r -> r),
        index(resources, Service.class, r -> r),
        index(resources, Secret.class, r -> r),
        index(resources, Namespace.class, r -> r),
        referenceGrants(resources),
        resources.stream()
            .filter(io.igw.api.v1alpha2.InferencePool.class::isInstance)
            .map(ClusterSnapshot::key)
            .collect(Collectors.toUnmodifiableSet()),
        index(resources, TokenRateLimitPolicy.class, r -> r));
  }

  private static List<ReferenceGrantView> referenceGrants(
      Collection<? extends HasMetadata> resources) {
    List<ReferenceGrantView> grants = new java.util.ArrayList<>();
    for (HasMetadata r : resources) {
      if (r instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant g
          && g.getSpec() != null) {
        grants.add(
            new ReferenceGrantView(
                g.getMetadata().getNamespace(),
                g.getSpec().getFrom().stream()
                    .map(
                        f ->
                            new ReferenceGrantView.From(
                                f.getGroup(), f.getKind(), f.getNamespace()))
                    .toList(),
                g.getSpec().getTo().stream()
                    .map(t -> new ReferenceGrantView.To(t.getGroup(), t.getKind(), t.getName()))
                    .toList()));
      } else if (r instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant g
          && g.getSpec() != null) {
        grants.add(
            new ReferenceGrantView(
                g.getMetadata().getNamespace(),
                g.getSpec().getFrom().stream()
                    .map(
                        f ->
                            new ReferenceGrantView.From(
                                f.getGroup(), f.getKind(), f.getNamespace()))
                    .toList(),
                g.getSpec().getTo().stream()
                    .map(t -> new ReferenceGrantView.To(t.getGroup(), t.getKind(), t.getName()))
                    .toList()));
      }
    }
    return List.copyOf(grants);
  }

  /**
   * "namespace/name"; cluster-scoped resources (GatewayClass, Namespace) are keyed by name alone.
   */
  public static String key(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty()
        ? r.getMetadata().getName()
        : ns + "/" + r.getMetadata().getName();
  }

  private static Map<String, InferencePool> pools(Collection<? extends HasMetadata> resources) {
    Map<String, InferencePool> pools =
        new TreeMap<>(
            index(
                resources,
                io.igw.api.v1alpha2.InferencePool.class,
                io.igw.api.v1alpha2.InferencePool::toV1));
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
