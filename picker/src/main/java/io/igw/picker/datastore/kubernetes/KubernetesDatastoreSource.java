package io.igw.picker.datastore.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.igw.api.InferenceModel;
import io.igw.api.InferenceModelRewrite;
import io.igw.api.InferenceObjective;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.datastore.RejectedPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Feeds the datastore from Kubernetes: informers on InferencePools (v1 and v1alpha2), Pods,
 * InferenceObjectives, InferenceModels and InferenceModelRewrites, TokenRateLimitPolicies and the
 * HTTPRoutes they may target, in one namespace or all. Every change schedules one rebuild (changes
 * that arrive meanwhile coalesce); a rebuild resolves pools and policies from the informer caches,
 * never from the API, so it is idempotent whatever the trigger. A rejected policy resource is
 * logged once per resource version, not on every rebuild.
 */
public final class KubernetesDatastoreSource implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KubernetesDatastoreSource.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final Datastore datastore;
  private final Consumer<Runnable> executor;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
  private Set<RejectedPolicy> loggedRejections = Set.of();
  private volatile Consumer<List<HasMetadata>> rebuilt = all -> {};

  /**
   * @param namespace null for all namespaces
   * @param executor where rebuilds run (e.g. the Vert.x context), never on the informer thread's
   *     caller path
   */
  public KubernetesDatastoreSource(
      KubernetesClient client, String namespace, Datastore datastore, Consumer<Runnable> executor) {
    this.client = client;
    this.namespace = namespace;
    this.datastore = datastore;
    this.executor = executor;
  }

  public KubernetesDatastoreSource start() {
    informers.add(scoped(client.resources(InferencePool.class)).inform(handler()));
    informers.add(
        scoped(client.resources(io.igw.api.v1alpha2.InferencePool.class)).inform(handler()));
    informers.add(scoped(client.pods()).inform(handler()));
    informers.add(scoped(client.resources(InferenceObjective.class)).inform(handler()));
    informers.add(scoped(client.resources(InferenceModel.class)).inform(handler()));
    informers.add(scoped(client.resources(InferenceModelRewrite.class)).inform(handler()));
    // token rate limits: the policies and the routes they may target
    informers.add(scoped(client.resources(TokenRateLimitPolicy.class)).inform(handler()));
    informers.add(scoped(client.resources(HTTPRoute.class)).inform(handler()));
    LOG.info("event=kubernetes_source_started namespace=" + (namespace == null ? "*" : namespace));
    scheduleRebuild();
    return this;
  }

  private <T extends HasMetadata, L> io.fabric8.kubernetes.client.dsl.Informable<T> scoped(
      MixedOperation<T, L, ? extends Resource<T>> operation) {
    return namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
  }

  /**
   * Told every resource of the caches after each rebuild (the rate limits resolve their policies
   * from them); set before {@link #start}.
   */
  public KubernetesDatastoreSource onRebuild(Consumer<List<HasMetadata>> listener) {
    this.rebuilt = listener;
    return this;
  }

  public boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /**
   * Rebuilds pools and policies from the caches now (also what every change triggers). One at a
   * time whatever the executor: an overlapping older rebuild could otherwise replace a newer one's
   * datastore, and both would log the same rejection.
   */
  public synchronized void rebuild() {
    rebuildScheduled.set(false);
    List<HasMetadata> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    datastore.replaceAll(PoolResolver.resolve(all));
    Set<RejectedPolicy> rejected = new HashSet<>();
    datastore.replacePolicies(PolicyResolver.resolve(all, rejected::add));
    for (RejectedPolicy r : rejected) {
      if (!loggedRejections.contains(r)) {
        r.log();
      }
    }
    loggedRejections = rejected;
    rebuilt.accept(all);
  }

  private void scheduleRebuild() {
    if (rebuildScheduled.compareAndSet(false, true)) {
      executor.accept(this::rebuild);
    }
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        scheduleRebuild();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (!newObj
            .getMetadata()
            .getResourceVersion()
            .equals(oldObj.getMetadata().getResourceVersion())) {
          scheduleRebuild();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        scheduleRebuild();
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
