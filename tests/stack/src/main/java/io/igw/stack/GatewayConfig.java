package io.igw.stack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.controller.ConfigPipeline;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.ResponsePhase;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nginx.conf of one gateway under test: rendered from manifests into the prefix its settings
 * name and checked with {@code nginx -t}, either in this JVM ({@link ConfigPipeline}) or by the
 * controller's {@code render} command in a process of its own, from the same settings.
 *
 * @param settings how NGINX runs (start from {@link #loopbackSettings})
 * @param port the port every listener takes instead of the Gateway's, or null for the Gateway's
 * @param pickerService the Service that stands for igw's own picker in endpointPickerRef
 */
public record GatewayConfig(RuntimeSettings settings, Integer port, String pickerService) {

  /**
   * Settings for a test gateway in {@code prefix}: NGINX listens on 127.0.0.1 with one worker, njs
   * from the repository, the workers as root when the test runs as root; the rest the controller's
   * defaults.
   */
  public static RuntimeSettings.Builder loopbackSettings(NginxBinary nginx, NginxPrefix prefix) {
    return RuntimeSettings.builder()
        .prefix(prefix.root().toString())
        .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString())
        .njsDir(Repo.path("njs").toString())
        .listenAddress("127.0.0.1")
        .workerProcesses(1)
        .user(RuntimeSettings.workerUser());
  }

  /** The controller's pipeline with the repository's templates, as the reconciler runs it. */
  public static ConfigPipeline pipeline(NginxBinary nginx, String pickerService) {
    return ConfigPipeline.create(nginx, Repo.path("nginx-conf"), pickerService);
  }

  public NginxPrefix prefix() {
    return new NginxPrefix(Path.of(settings.prefix()));
  }

  /** Renders in this JVM; fails when nginx -t rejects the config. */
  public ConfigPipeline.Outcome renderInProcess(NginxBinary nginx, List<HasMetadata> manifests) {
    ConfigPipeline.Outcome outcome =
        pipeline(nginx, pickerService)
            .run(ClusterSnapshot.of(manifests), settings, port, prefix().create());
    if (!outcome.applied()) {
      throw new IllegalStateException(
          "config not applied: " + outcome.checkOutput() + " " + outcome.graph());
    }
    return outcome;
  }

  /**
   * Renders by {@code java -jar igw-controller.jar render} on a folder of manifests, its output in
   * {@code log}; fails when it exits non-zero (nginx -t rejected the config, a manifest is bad).
   */
  public void renderByController(Path manifests, Path log)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ManagedProcess.java(),
                "-jar",
                Repo.jar(Repo.CONTROLLER_JAR).toString(),
                "render",
                "--manifests",
                manifests.toString()));
    command.addAll(renderArguments());
    ManagedProcess.runToEnd("controller render", command, log);
  }

  /** The render command's options for these settings. */
  List<String> renderArguments() {
    if (settings.pickTimeoutMs() != RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS) {
      throw new IllegalArgumentException("the render command has no pick timeout option");
    }
    RuntimeSettings s = settings;
    ResponsePhase phase = s.responsePhase();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--prefix",
                s.prefix(),
                "--templates",
                Repo.path("nginx-conf").toString(),
                "--njs",
                s.njsDir(),
                "--picker",
                s.pickerAddress(),
                "--picker-service",
                pickerService,
                "--listen-address",
                s.listenAddress(),
                "--body-limit",
                Long.toString(s.bodyLimitBytes()),
                "--workers",
                Integer.toString(s.workerProcesses()),
                "--picker-max-conns",
                Integer.toString(s.pickerMaxConns()),
                "--connections-per-client",
                Integer.toString(s.connectionsPerClient()),
                "--upstream-timeout-ms",
                Integer.toString(s.upstreamTimeoutMs()),
                "--epp-response-phase",
                phase.mode().name().toLowerCase(Locale.ROOT),
                "--picker-relay",
                phase.relayAddress(),
                "--relay-max-conns",
                Integer.toString(phase.relayMaxConns()),
                s.tokenUsage() ? "--token-usage" : "--no-token-usage"));
    if (port != null) {
      args.addAll(List.of("--port", Integer.toString(port)));
    }
    if (s.completionFeed() != null) {
      args.addAll(List.of("--completion-feed", s.completionFeed()));
    }
    for (String header : s.eppRequestHeaders()) {
      args.addAll(List.of("--epp-request-header", header));
    }
    return args;
  }
}
