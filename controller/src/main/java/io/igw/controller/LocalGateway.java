package io.igw.controller;

import io.igw.api.manifest.ManifestException;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import io.igw.controller.source.ManifestFolderSource;
import io.igw.controller.status.LocalStatusFile;
import io.igw.controller.status.StatusBuilder;
import java.io.IOException;
import java.util.List;

/**
 * Local mode's reconciler: from the manifest folder to a running NGINX. Idempotent: every call reads the
 * folder, and only a changed config that passes {@code nginx -t} reaches NGINX (start once, then graceful
 * reloads). The last good config keeps serving while the folder holds a broken one.
 */
public final class LocalGateway {
  private final ManifestFolderSource source;
  private final ConfigPipeline pipeline;
  private final RuntimeSettings settings;
  private final Integer listenPort;
  private final NginxPrefix prefix;
  private final NginxSupervisor nginx;
  private final StatusBuilder statusBuilder;
  private final LocalStatusFile statusFile;
  private final EventLog log;

  public LocalGateway(ManifestFolderSource source, ConfigPipeline pipeline, RuntimeSettings settings,
      Integer listenPort, NginxPrefix prefix, NginxSupervisor nginx, StatusBuilder statusBuilder, EventLog log) {
    this.source = source;
    this.pipeline = pipeline;
    this.settings = settings;
    this.listenPort = listenPort;
    this.prefix = prefix;
    this.nginx = nginx;
    this.statusBuilder = statusBuilder;
    this.statusFile = new LocalStatusFile(prefix);
    this.log = log;
  }

  public synchronized void reconcile() {
    ClusterSnapshot snapshot;
    try {
      snapshot = source.read();
    } catch (ManifestException e) {
      log.warn("manifests_invalid", "reason", e.getMessage(), "action", "keeping the last good config");
      return;
    }
    ConfigPipeline.Outcome outcome = pipeline.run(snapshot, settings, listenPort, prefix);
    String applyError = null;
    try {
      switch (outcome.result()) {
        case APPLIED -> apply(outcome);
        case REJECTED -> {
          applyError = outcome.checkOutput();
          log.warn("config_rejected", "nginx_t", outcome.checkOutput(), "kept", prefix.conf().toString());
        }
        case UNCHANGED -> {
          if (!nginx.running()) {
            apply(outcome);
          }
        }
      }
    } catch (IOException e) {
      applyError = e.getMessage();
      log.warn("nginx_failed", "reason", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (statusFile.write(statusBuilder.build(snapshot, outcome.graph(), List.of(settings.listenAddress()),
        applyError))) {
      log.info("status_written", "file", prefix.root().resolve(LocalStatusFile.PATH).toString());
    }
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
