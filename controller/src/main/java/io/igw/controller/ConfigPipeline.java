package io.igw.controller;

import io.igw.controller.apply.NginxConfigCheck;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.graph.Graph;
import io.igw.controller.graph.GraphBuilder;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.NginxConfig;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.render.ConfigFile;
import io.igw.controller.render.NginxConfigRenderer;
import io.igw.controller.source.ClusterSnapshot;
import java.util.Arrays;
import java.util.List;

/**
 * snapshot → graph → model → files → {@code nginx -t} → swapped into place. A config that fails the
 * check is kept beside the last good one (conf/nginx.conf.rejected) and never applied; an unchanged
 * one is not written.
 */
public final class ConfigPipeline {
  private final GraphBuilder graphBuilder;
  private final GatewayModelBuilder modelBuilder;
  private final NginxConfigRenderer renderer;
  private final NginxConfigCheck check;

  public ConfigPipeline(
      GraphBuilder graphBuilder,
      GatewayModelBuilder modelBuilder,
      NginxConfigRenderer renderer,
      NginxConfigCheck check) {
    this.graphBuilder = graphBuilder;
    this.modelBuilder = modelBuilder;
    this.renderer = renderer;
    this.check = check;
  }

  /**
   * The standard stages: igw's GraphBuilder and allow-list, the model builder, templates from a
   * folder.
   */
  public static ConfigPipeline create(
      io.igw.controller.apply.NginxBinary nginx,
      java.nio.file.Path templates,
      String pickerService) {
    return new ConfigPipeline(
        new GraphBuilder(
            ControllerMain.CONTROLLER_NAME,
            new io.igw.controller.graph.AllowListValidator(),
            pickerService),
        new GatewayModelBuilder(),
        new NginxConfigRenderer(templates),
        new NginxConfigCheck(nginx));
  }

  /**
   * {@code result}: APPLIED (new config in place), UNCHANGED, or REJECTED by nginx -t (see
   * checkOutput).
   */
  public record Outcome(Result result, Graph graph, NginxConfig config, String checkOutput) {
    public boolean applied() {
      return result != Result.REJECTED;
    }
  }

  public enum Result {
    APPLIED,
    UNCHANGED,
    REJECTED
  }

  public Outcome run(
      ClusterSnapshot snapshot, RuntimeSettings settings, Integer listenPort, NginxPrefix prefix) {
    Graph graph = graphBuilder.build(snapshot);
    NginxConfig config = modelBuilder.build(graph, settings, listenPort);
    List<ConfigFile> files = renderer.render(config);
    ConfigFile conf = files.get(0);
    if (Arrays.equals(conf.content(), prefix.read(conf.path()))) {
      return new Outcome(Result.UNCHANGED, graph, config, "");
    }
    files.subList(1, files.size()).forEach(prefix::write);
    var candidate = prefix.write(new ConfigFile(conf.path() + ".candidate", conf.content()));
    NginxConfigCheck.Result checked = check.check(prefix, candidate);
    if (!checked.ok()) {
      prefix.write(new ConfigFile(conf.path() + ".rejected", conf.content()));
      return new Outcome(Result.REJECTED, graph, config, checked.output());
    }
    prefix.write(conf);
    return new Outcome(Result.APPLIED, graph, config, checked.output());
  }
}
