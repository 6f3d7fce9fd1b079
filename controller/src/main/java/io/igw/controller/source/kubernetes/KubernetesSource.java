package io.igw.controller.source.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.controller.log.EventLog;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes as a source: one informer per kind the controller reads, a callback on every change,
 * and snapshots taken from the informer caches (never from the API on the reconcile path).
 */
public final class KubernetesSource implements AutoCloseable {
  private final KubernetesClient client;
  private final Runnable onChange;
  private final EventLog log;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean started;

  public KubernetesSource(KubernetesClient client, Runnable onChange, EventLog log) {
    this.client = client;
    this.onChange = onChange;
    this.log = log;
  }

  public KubernetesSource start() {
    informers.add(client.resources(GatewayClass.class).inform(handler()));
    informers.add(client.resources(Namespace.class).inform(handler()));
    informers.add(client.resources(Gateway.class).inAnyNamespace().inform(handler()));
    informers.add(client.resources(HTTPRoute.class).inAnyNamespace().inform(handler()));
    informers.add(
        client
            .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class)
            .inAnyNamespace()
            .inform(handler()));
    informers.add(client.resources(InferencePool.class).inAnyNamespace().inform(handler()));
    informers.add(
        client
            .resources(io.igw.api.v1alpha2.InferencePool.class)
            .inAnyNamespace()
            .inform(handler()));
    informers.add(client.pods().inAnyNamespace().inform(handler()));
    informers.add(client.services().inAnyNamespace().inform(handler()));
    informers.add(
        client.secrets().inAnyNamespace().withField("type", "kubernetes.io/tls").inform(handler()));
    informRateLimitPolicies();
    started = true;
    return this;
  }

  /**
   * TokenRateLimitPolicies, read for their status only: a cluster without their CRD is served all
   * the same, without policy status (logged once, at start).
   */
  private void informRateLimitPolicies() {
    SharedIndexInformer<TokenRateLimitPolicy> informer =
        client.resources(TokenRateLimitPolicy.class).inAnyNamespace().runnableInformer(0);
    informer.addEventHandler(handler());
    try {
      informer.run();
      informers.add(informer);
    } catch (KubernetesClientException e) {
      informer.close();
      if (!notFound(e)) {
        throw e;
      }
      log.warn(
          "rate_limit_policy_status_off",
          "reason",
          "CRD " + new TokenRateLimitPolicy().getCRDName() + " is not installed",
          "action",
          "restart the controller once it is to get the policies' status");
    }
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 404) {
        return true;
      }
    }
    return false;
  }

  /** True once every informer exists and has listed its kind: never render from a partial cache. */
  public boolean synced() {
    return started && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public ClusterSnapshot snapshot() {
    List<HasMetadata> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    return ClusterSnapshot.of(all);
  }

  /** The cached copy of a resource, for the status writer. */
  public <T extends HasMetadata> Optional<T> cached(Class<T> type, String key) {
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      if (informer.getApiTypeClass().equals(type)) {
        return Optional.ofNullable(type.cast(informer.getStore().getByKey(key)));
      }
    }
    return Optional.empty();
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (!newObj
            .getMetadata()
            .getResourceVersion()
            .equals(oldObj.getMetadata().getResourceVersion())) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  /** Kinds whose cache the status writer can read, by status kind. */
  public static Class<? extends HasMetadata> typeOf(String kind, String apiVersion) {
    return switch (kind) {
      case "GatewayClass" -> GatewayClass.class;
      case "Gateway" -> Gateway.class;
      case "HTTPRoute" -> HTTPRoute.class;
      case "InferencePool" ->
          apiVersion.startsWith("inference.networking.x-k8s.io")
              ? io.igw.api.v1alpha2.InferencePool.class
              : InferencePool.class;
      case "Pod" -> Pod.class;
      case "Service" -> Service.class;
      case "Secret" -> Secret.class;
      default -> null;
    };
  }
}
