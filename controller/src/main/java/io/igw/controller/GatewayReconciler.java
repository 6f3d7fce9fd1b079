package io.igw.controller;

import io.igw.api.manifest.ManifestException;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.health.ReconcileResult;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import io.igw.controller.status.StatusBuilder;
import io.igw.controller.status.StatusSink;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The controller's reconciler: from the current resources to a running NGINX and published status.
 * Idempotent and stateless between runs: every call takes a fresh snapshot (the manifest folder, or
 * the informer caches), and only a changed config that passes {@code nginx -t} reaches NGINX (start
 * once, then graceful reloads). The last good config keeps serving while the resources describe a
 * broken one.
 */
public final class GatewayReconciler {
  private final Supplier<ClusterSnapshot> source;
  private final ConfigPipeline pipeline;
  private final RuntimeSettings settings;
  private final Integer listenPort;
  private final NginxPrefix prefix;
  private final NginxSupervisor nginx;
  private final StatusBuilder statusBuilder;
  private final StatusSink statusSink;
  private final EventLog log;

  public GatewayReconciler(
      Supplier<ClusterSnapshot> source,
      ConfigPipeline pipeline,
      RuntimeSettings settings,
      Integer listenPort,
      NginxPrefix prefix,
      NginxSupervisor nginx,
      StatusBuilder statusBuilder,
      StatusSink statusSink,
      EventLog log) {
    this.source = source;
    this.pipeline = pipeline;
    this.settings = settings;
    this.listenPort = listenPort;
    this.prefix = prefix;
    this.nginx = nginx;
    this.statusBuilder = statusBuilder;
    this.statusSink = statusSink;
    this.log = log;
  }

  public synchronized ReconcileResult reconcile() {
    ClusterSnapshot snapshot;
    try {
      snapshot = source.get();
    } catch (ManifestException e) {
      log.warn(
          "manifests_invalid", "reason", e.getMessage(), "action", "keeping the last good config");
      return ReconcileResult.SOURCE_INVALID;
    }
    ConfigPipeline.Outcome outcome = pipeline.run(snapshot, settings, listenPort, prefix);
    String applyError = null;
    ReconcileResult result;
    try {
      switch (outcome.result()) {
        case APPLIED -> {
          apply(outcome);
          result = ReconcileResult.APPLIED;
        }
        case REJECTED -> {
          result = ReconcileResult.REJECTED;
          applyError = outcome.checkOutput();
          log.warn(
              "config_rejected",
              "nginx_t",
              outcome.checkOutput(),
              "kept",
              prefix.conf().toString());
        }
        case UNCHANGED -> {
          if (!nginx.running()) {
            apply(outcome);
          }
          result = ReconcileResult.UNCHANGED;
        }
        default -> throw new IllegalStateException("unknown outcome " + outcome.result());
      }
    } catch (IOException e) {
      applyError = e.getMessage();
      result = ReconcileResult.NGINX_FAILED;
      log.warn("nginx_failed", "reason", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ReconcileResult.INTERRUPTED;
    }
    int written =
        statusSink.publish(
            statusBuilder.build(
                snapshot, outcome.graph(), List.of(settings.listenAddress()), applyError));
    if (written > 0) {
      log.info("status_written", "to", statusSink.describe(), "resources", written);
    }
    return result;
  }

  private void apply(ConfigPipeline.Outcome outcome) throws IOException, InterruptedException {
    int servers = outcome.config().servers().size();
    int pools = outcome.config().pools().size();
    if (nginx.running()) {
      nginx.reload();
      log.info("nginx_reloaded", "servers", servers, "pools", pools);
    } else {
      nginx.start();
      log.info("nginx_started", "pid", nginx.pid(), "servers", servers, "pools", pools);
    }
  }
}
