package io.igw.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.igw.api.log.EventLine;
import io.igw.api.log.EventLineFormatter;
import io.igw.api.manifest.ManifestException;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.health.ControllerHealth;
import io.igw.controller.health.HealthServer;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.ResponsePhase;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ManifestFolderSource;
import io.igw.controller.source.ManifestFolderWatcher;
import io.igw.controller.status.LocalStatusFile;
import io.igw.controller.status.StatusBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The controller's command line: {@code render} (one pass) and {@code local} (watch a folder, run
 * NGINX).
 */
@Command(
    name = "igw-controller",
    mixinStandardHelpOptions = true,
    subcommands = {
      ControllerMain.Render.class,
      ControllerMain.Local.class,
      ControllerMain.Kubernetes.class
    },
    description = "igw controller: Gateway API + inference resources to a validated nginx.conf")
public final class ControllerMain {
  public static final String CONTROLLER_NAME = "igw.io/gateway-controller";

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new ControllerMain())
            .setExecutionExceptionHandler(new FailureLog(System.err))
            .execute(args));
  }

  /**
   * The command's events on {@code out}, and the libraries' java.util.logging records with them, in
   * one dialect.
   */
  static EventLog eventLog(PrintStream out) {
    EventLineFormatter.install(out, Level.INFO);
    return new EventLog(out);
  }

  /**
   * Thrown once the cause has been logged: the command ends with status 1 and nothing more is
   * written.
   */
  static final class Logged extends RuntimeException {
    Logged(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A command that fails ends with one line, {@code event=controller_failed command=... error=...},
   * and status 1: an expected failure (I/O, a bad manifest or option, the Kubernetes API) at
   * WARNING without a trace, anything else at SEVERE with its trace, one escaped line per frame.
   */
  static final class FailureLog implements CommandLine.IExecutionExceptionHandler {
    private final PrintStream err;

    FailureLog(PrintStream err) {
      this.err = err;
    }

    @Override
    public int handleExecutionException(
        Exception e, CommandLine command, CommandLine.ParseResult parsed) {
      if (!(e instanceof Logged)) {
        boolean expected =
            e instanceof IOException
                || e instanceof UncheckedIOException
                || e instanceof ManifestException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof KubernetesClientException;
        err.println(
            EventLine.of(
                    Instant.now(),
                    expected ? "WARNING" : "SEVERE",
                    "controller_failed",
                    "command",
                    command.getCommandName(),
                    "error",
                    EventLine.describe(e))
                + (expected ? "" : EventLine.trace(e)));
      }
      return 1;
    }
  }

  /** Options shared by the commands that render. */
  static final class RenderOptions {
    @Option(names = "--prefix", required = true, description = "NGINX prefix folder to write into")
    Path prefix;

    @Option(
        names = "--templates",
        defaultValue = "nginx-conf",
        description = "template folder (default: ${DEFAULT-VALUE})")
    Path templates;

    @Option(
        names = "--njs",
        defaultValue = "njs",
        description = "njs script folder (default: ${DEFAULT-VALUE})")
    Path njs;

    @Option(
        names = "--picker",
        defaultValue = "127.0.0.1:9001",
        description = "picker HTTP address (default: ${DEFAULT-VALUE})")
    String picker;

    @Option(
        names = "--picker-service",
        defaultValue = io.igw.api.OwnPickerService.DEFAULT_NAME,
        description =
            "name of the Service standing for igw's own picker in endpointPickerRef (default: ${DEFAULT-VALUE})")
    String pickerService;

    @Option(
        names = "--listen-address",
        defaultValue = "127.0.0.1",
        description = "address NGINX listens on (default: ${DEFAULT-VALUE})")
    String listenAddress;

    @Option(
        names = "--port",
        description = "serve every listener on this port instead of the Gateway's")
    Integer port;

    @Option(
        names = "--body-limit",
        defaultValue = "" + RuntimeSettings.DEFAULT_BODY_LIMIT_BYTES,
        description = "largest request body in bytes (default: ${DEFAULT-VALUE})")
    long bodyLimit;

    @Option(
        names = "--workers",
        defaultValue = "1",
        description = "NGINX worker processes (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
        names = "--completion-feed",
        description = "host:port of the picker's syslog completion feed (off when unset)")
    String completionFeed;

    @Option(
        names = "--epp-request-header",
        split = ",",
        description =
            "request header a foreign EPP may set on the upstream request (allow-list); repeatable (default: none)")
    java.util.List<String> eppRequestHeaders =
        new java.util.ArrayList<>(RuntimeSettings.DEFAULT_EPP_REQUEST_HEADERS);

    @Option(
        names = "--picker-max-conns",
        defaultValue = "" + RuntimeSettings.DEFAULT_PICKER_MAX_CONNS,
        description =
            "picks in flight to the picker at once; more fail as picker unavailable (default: ${DEFAULT-VALUE})")
    int pickerMaxConns;

    @Option(
        names = "--connections-per-client",
        defaultValue = "" + RuntimeSettings.DEFAULT_CONNECTIONS_PER_CLIENT,
        description =
            "requests one client address may have in progress; more get 429; 0: off (default: ${DEFAULT-VALUE})")
    int connectionsPerClient;

    @Option(
        names = "--upstream-timeout-ms",
        defaultValue = "" + RuntimeSettings.DEFAULT_UPSTREAM_TIMEOUT_MS,
        description =
            "wait on a model server between reads (its header, each chunk); before a header the next"
                + " endpoint is tried (default: ${DEFAULT-VALUE})")
    int upstreamTimeoutMs;

    @Option(
        names = "--epp-response-phase",
        defaultValue = "report",
        description =
            "bridged pools (foreign EPP): report (NGINX proxies directly; the EPP's response-header"
                + " mutations are not applied) or relay (through the picker's relay, which applies them) (default:"
                + " ${DEFAULT-VALUE})")
    String eppResponsePhase;

    @Option(
        names = "--picker-relay",
        defaultValue = ResponsePhase.DEFAULT_RELAY_ADDRESS,
        description =
            "the picker's relay address (its --relay-port), for --epp-response-phase relay (default:"
                + " ${DEFAULT-VALUE})")
    String pickerRelay;

    @Option(
        names = "--relay-max-conns",
        defaultValue = "" + ResponsePhase.DEFAULT_RELAY_MAX_CONNS,
        description =
            "relayed requests in flight at once, apart from the picks' connections; more get 502"
                + " relay_unavailable (default: ${DEFAULT-VALUE})")
    int relayMaxConns;

    @Option(
        names = "--health-port",
        defaultValue = "-1",
        description =
            "serve GET /health and /ready on this port (0: any free port, logged; -1: off) (default:"
                + " ${DEFAULT-VALUE})")
    int healthPort;

    @Option(
        names = "--health-address",
        defaultValue = "127.0.0.1",
        description = "address of /health and /ready (default: ${DEFAULT-VALUE})")
    String healthAddress;

    /** The health server, or null when {@code --health-port} is -1. */
    HealthServer healthServer(ControllerHealth health, EventLog log) throws IOException {
      if (healthPort < 0) {
        return null;
      }
      HealthServer server = HealthServer.start(healthAddress, healthPort, health);
      log.info("health_listening", "address", healthAddress, "port", server.port());
      return server;
    }

    @Option(
        names = "--token-usage",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "read each answer's token usage in NGINX for the completion feed (njs body filter);"
                + " --no-token-usage leaves it out (default: ${DEFAULT-VALUE})")
    boolean tokenUsage;

    RuntimeSettings settings(NginxBinary nginx, NginxPrefix prefix) {
      return RuntimeSettings.builder()
          .prefix(prefix.root().toString())
          .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString())
          .njsDir(njs.toAbsolutePath().normalize().toString())
          .pickerAddress(picker)
          .listenAddress(listenAddress)
          .bodyLimitBytes(bodyLimit)
          .workerProcesses(workers)
          .user(RuntimeSettings.workerUser())
          .pickTimeoutMs(RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS)
          .completionFeed(completionFeed)
          .eppRequestHeaders(eppRequestHeaders)
          .pickerMaxConns(pickerMaxConns)
          .connectionsPerClient(connectionsPerClient)
          .upstreamTimeoutMs(upstreamTimeoutMs)
          .responsePhase(
              new ResponsePhase(
                  ResponsePhase.Mode.parse(eppResponsePhase), pickerRelay, relayMaxConns))
          .tokenUsage(tokenUsage)
          .build();
    }

    ConfigPipeline pipeline(NginxBinary nginx) {
      return ConfigPipeline.create(nginx, templates, pickerService);
    }
  }

  static NginxBinary nginxOrExit(EventLog log) {
    return NginxBinary.find()
        .orElseThrow(
            () -> {
              log.warn(
                  "nginx_not_found", "hint", "install nginx and libnginx-mod-http-js (./igw deps)");
              return new Logged("nginx not found");
            });
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      description =
          "Render nginx.conf from a folder of manifests into an NGINX prefix and check it with nginx -t")
  static final class Render implements Callable<Integer> {
    @Mixin RenderOptions options;

    @Option(names = "--manifests", required = true, description = "folder of YAML manifests")
    Path manifests;

    @Override
    public Integer call() {
      EventLog log = eventLog(System.err);
      NginxBinary nginx = nginxOrExit(log);
      try {
        NginxPrefix prefix = new NginxPrefix(options.prefix).create();
        var outcome =
            options
                .pipeline(nginx)
                .run(
                    new ManifestFolderSource(manifests).read(),
                    options.settings(nginx, prefix),
                    options.port,
                    prefix);
        if (!outcome.applied()) {
          log.warn(
              "config_rejected",
              "conf",
              prefix.conf() + ".rejected",
              "nginx_t",
              outcome.checkOutput());
          return 1;
        }
        log.info("config_rendered", "conf", prefix.conf(), "result", outcome.result());
        return 0;
      } catch (ManifestException | IllegalArgumentException e) {
        log.warn("render_failed", "reason", e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "local",
      mixinStandardHelpOptions = true,
      description =
          "Local mode: watch a folder of manifests and run NGINX with the config rendered from it")
  static final class Local implements Callable<Integer> {
    @Mixin RenderOptions options;

    @Option(names = "--manifests", required = true, description = "folder of YAML manifests")
    Path manifests;

    @Option(
        names = "--debounce-ms",
        defaultValue = "250",
        description = "wait for a burst of changes to settle (default: ${DEFAULT-VALUE})")
    long debounceMs;

    @Option(
        names = "--poll-ms",
        defaultValue = "5000",
        description = "re-read the folder at least this often (default: ${DEFAULT-VALUE})")
    long pollMs;

    @Override
    public Integer call() throws Exception {
      EventLog log = eventLog(System.out);
      NginxBinary nginx = nginxOrExit(log);
      NginxPrefix prefix = new NginxPrefix(options.prefix).create();
      try (NginxSupervisor supervisor = new NginxSupervisor(nginx, prefix)) {
        GatewayReconciler gateway =
            new GatewayReconciler(
                new ManifestFolderSource(manifests)::read,
                options.pipeline(nginx),
                options.settings(nginx, prefix),
                options.port,
                prefix,
                supervisor,
                new StatusBuilder(CONTROLLER_NAME),
                new LocalStatusFile(prefix),
                log);
        ControllerHealth health = new ControllerHealth(Clock.systemUTC(), supervisor::running);
        HealthServer healthServer = options.healthServer(health, log);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      if (healthServer != null) {
                        healthServer.close();
                      }
                      supervisor.close();
                      stop.countDown();
                    }));
        try (ManifestFolderWatcher watcher =
            new ManifestFolderWatcher(
                manifests, debounceMs, pollMs, () -> health.track(gateway::reconcile))) {
          watcher.start();
          log.info(
              "controller_started",
              "manifests",
              manifests.toAbsolutePath(),
              "prefix",
              prefix.root());
          stop.await();
        }
      }
      return 0;
    }
  }

  @Command(
      name = "kubernetes",
      mixinStandardHelpOptions = true,
      description =
          "In a cluster: watch Gateway API and inference resources, run NGINX, write status as leader")
  static final class Kubernetes implements Callable<Integer> {
    @Mixin RenderOptions options;

    @Option(
        names = "--debounce-ms",
        defaultValue = "250",
        description = "wait for a burst of changes to settle (default: ${DEFAULT-VALUE})")
    long debounceMs;

    @Option(
        names = "--lease-namespace",
        defaultValue = "${env:POD_NAMESPACE:-default}",
        description = "namespace of the leader-election Lease (default: ${DEFAULT-VALUE})")
    String leaseNamespace;

    @Option(
        names = "--lease-name",
        defaultValue = "igw-controller",
        description = "leader-election Lease (default: ${DEFAULT-VALUE})")
    String leaseName;

    @Override
    public Integer call() throws Exception {
      EventLog log = eventLog(System.out);
      NginxBinary nginx = nginxOrExit(log);
      NginxPrefix prefix = new NginxPrefix(options.prefix).create();
      try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
          NginxSupervisor supervisor = new NginxSupervisor(nginx, prefix)) {
        KubernetesController controller =
            new KubernetesController(
                client,
                options.pipeline(nginx),
                options.settings(nginx, prefix),
                options.port,
                prefix,
                supervisor,
                debounceMs,
                log);
        HealthServer healthServer = options.healthServer(controller.health(), log);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      if (healthServer != null) {
                        healthServer.close();
                      }
                      controller.close();
                      supervisor.close();
                      stop.countDown();
                    }));
        controller.start(leaseNamespace, leaseName);
        stop.await();
      }
      return 0;
    }
  }
}
