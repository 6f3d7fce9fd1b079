package io.igw.controller;

import io.igw.controller.apply.NginxConfigCheck;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.render.ConfigFile;
import io.igw.controller.render.NginxConfigRenderer;
import io.igw.controller.source.ClusterSnapshot;
import java.nio.file.Path;
import java.util.List;

/**
 * snapshot → model → nginx.conf → {@code nginx -t} → swapped into place. A config that fails the check is
 * kept beside the last good one (conf/nginx.conf.rejected) and never applied.
 */
public final class ConfigPipeline {
  private final GatewayModelBuilder builder;
  private final NginxConfigRenderer renderer;
  private final NginxConfigCheck check;

  public ConfigPipeline(GatewayModelBuilder builder, NginxConfigRenderer renderer, NginxConfigCheck check) {
    this.builder = builder;
    this.renderer = renderer;
    this.check = check;
  }

  public record Outcome(boolean applied, Path conf, List<String> problems, String checkOutput) {}

  public Outcome run(ClusterSnapshot snapshot, RuntimeSettings settings, Integer listenPort, NginxPrefix prefix) {
    GatewayModelBuilder.Result model = builder.build(snapshot, settings, listenPort);
    ConfigFile file = renderer.render(model.config());
    Path candidate = prefix.write(new ConfigFile(file.path() + ".candidate", file.content()));
    NginxConfigCheck.Result result = check.check(prefix, candidate);
    if (!result.ok()) {
      prefix.write(new ConfigFile(file.path() + ".rejected", file.content()));
      return new Outcome(false, prefix.conf(), model.problems(), result.output());
    }
    return new Outcome(true, prefix.write(file), model.problems(), result.output());
  }
}
