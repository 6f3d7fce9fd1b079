package io.igw.controller;

import io.igw.api.manifest.ManifestException;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxConfigCheck;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.ConfigValueValidator;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.render.NginxConfigRenderer;
import io.igw.controller.source.ManifestFolderSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code igw-controller render}: local mode, one pass from a manifest folder to a checked nginx.conf. */
@Command(name = "igw-controller", mixinStandardHelpOptions = true, subcommands = ControllerMain.Render.class,
    description = "igw controller: Gateway API + inference resources to a validated nginx.conf")
public final class ControllerMain {

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControllerMain()).execute(args));
  }

  @Command(name = "render", mixinStandardHelpOptions = true,
      description = "Render nginx.conf from a folder of manifests into an NGINX prefix and check it with nginx -t")
  static final class Render implements Callable<Integer> {
    @Option(names = "--manifests", required = true, description = "folder of YAML manifests")
    Path manifests;

    @Option(names = "--prefix", required = true, description = "NGINX prefix folder to write into")
    Path prefix;

    @Option(names = "--templates", defaultValue = "nginx-conf", description = "template folder (default: ${DEFAULT-VALUE})")
    Path templates;

    @Option(names = "--njs", defaultValue = "njs", description = "njs script folder (default: ${DEFAULT-VALUE})")
    Path njs;

    @Option(names = "--picker", defaultValue = "127.0.0.1:9001", description = "picker HTTP address (default: ${DEFAULT-VALUE})")
    String picker;

    @Option(names = "--listen-address", defaultValue = "127.0.0.1", description = "address NGINX listens on (default: ${DEFAULT-VALUE})")
    String listenAddress;

    @Option(names = "--port", description = "serve every listener on this port instead of the Gateway's")
    Integer port;

    @Option(names = "--body-limit", defaultValue = "" + RuntimeSettings.DEFAULT_BODY_LIMIT_BYTES,
        description = "largest request body in bytes (default: ${DEFAULT-VALUE})")
    long bodyLimit;

    @Option(names = "--workers", defaultValue = "1", description = "NGINX worker processes (default: ${DEFAULT-VALUE})")
    int workers;

    @Override
    public Integer call() {
      var nginx = NginxBinary.find();
      if (nginx.isEmpty()) {
        System.err.println("event=render_failed reason=nginx_not_found hint=\"install nginx and libnginx-mod-http-js\"");
        return 2;
      }
      try {
        NginxPrefix nginxPrefix = new NginxPrefix(prefix).create();
        RuntimeSettings settings = new RuntimeSettings(nginxPrefix.root().toString(),
            nginx.get().jsModule() == null ? null : nginx.get().jsModule().toString(),
            njs.toAbsolutePath().normalize().toString(), picker, listenAddress, bodyLimit, workers,
            "root".equals(System.getProperty("user.name")) ? "root" : null,
            RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS);
        var pipeline = new ConfigPipeline(new GatewayModelBuilder(new ConfigValueValidator()),
            new NginxConfigRenderer(templates), new NginxConfigCheck(nginx.get()));
        var outcome = pipeline.run(new ManifestFolderSource(manifests).read(), settings, port, nginxPrefix);
        outcome.problems().forEach(p -> System.err.println("event=resource_skipped " + p));
        if (!outcome.applied()) {
          System.err.println("event=config_rejected conf=" + outcome.conf() + ".rejected nginx_t=\""
              + outcome.checkOutput().replace('"', '\'').replace('\n', ' ') + "\"");
          return 1;
        }
        System.out.println("event=config_rendered conf=" + outcome.conf());
        return 0;
      } catch (ManifestException | IllegalArgumentException e) {
        System.err.println("event=render_failed reason=\"" + e.getMessage().replace('"', '\'') + "\"");
        return 1;
      }
    }
  }
}
