package io.igw.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.health.ControllerHealth;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.kubernetes.KubernetesSource;
import io.igw.controller.status.KubernetesStatusWriter;
import io.igw.controller.status.StatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kubernetes mode: informers → debounced reconcile (every replica renders and runs NGINX) → status,
 * written only by the replica holding the leader-election Lease (TokenRateLimitPolicies' included:
 * the picker replicas only log theirs).
 */
public final class KubernetesController implements AutoCloseable {
  private final KubernetesClient client;
  private final EventLog log;
  private final long debounceMs;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "igw-reconcile");
            t.setDaemon(true);
            return t;
          });
  private final KubernetesSource source;
  private final GatewayReconciler reconciler;
  private final ControllerHealth health;
  private ScheduledFuture<?> pending;
  private CompletableFuture<?> election;

  public KubernetesController(
      KubernetesClient client,
      ConfigPipeline pipeline,
      RuntimeSettings settings,
      Integer listenPort,
      NginxPrefix prefix,
      NginxSupervisor nginx,
      long debounceMs,
      EventLog log) {
    this.client = client;
    this.log = log;
    this.debounceMs = debounceMs;
    this.source = new KubernetesSource(client, this::schedule, log);
    this.reconciler =
        new GatewayReconciler(
            source::snapshot,
            pipeline,
            settings,
            listenPort,
            prefix,
            nginx,
            new StatusBuilder(ControllerMain.CONTROLLER_NAME, true),
            new KubernetesStatusWriter(client, ControllerMain.CONTROLLER_NAME, leading::get, log),
            log);
    this.health = new ControllerHealth(Clock.systemUTC(), nginx::running);
  }

  /** What this replica's {@code /health} and {@code /ready} answer. */
  public ControllerHealth health() {
    return health;
  }

  public void start(String leaseNamespace, String leaseName) {
    source.start();
    String identity = System.getenv().getOrDefault("HOSTNAME", "igw-" + UUID.randomUUID());
    election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(leaseNamespace, leaseName, identity))
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofSeconds(2))
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            this::startLeading,
                            this::stopLeading,
                            leader -> log.info("leader_changed", "leader", leader)))
                    .withReleaseOnCancel(true)
                    .build())
            .build()
            .start();
    log.info("controller_started", "mode", "kubernetes", "identity", identity);
    schedule();
  }

  private void startLeading() {
    leading.set(true);
    log.info("leading", "action", "writing status");
    schedule();
  }

  private void stopLeading() {
    leading.set(false);
    log.info("not_leading");
  }

  public boolean leading() {
    return leading.get();
  }

  /** Debounced: a burst of informer events becomes one reconcile, once the caches have synced. */
  private synchronized void schedule() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending =
        executor.schedule(
            () -> {
              if (source.synced()) {
                health.track(reconciler::reconcile);
              } else {
                schedule();
              }
            },
            debounceMs,
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (election != null) {
      election.cancel(true);
    }
    source.close();
    executor.shutdownNow();
  }
}
