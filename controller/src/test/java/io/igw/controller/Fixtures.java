package io.igw.controller;

import io.igw.api.manifest.ManifestReader;
import io.igw.controller.graph.AllowListValidator;
import io.igw.controller.graph.Graph;
import io.igw.controller.graph.GraphBuilder;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.NginxConfig;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.render.NginxConfigRenderer;
import io.igw.controller.source.ClusterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared set-up of the controller's pure-function tests. */
public final class Fixtures {
  public static final RuntimeSettings SETTINGS =
      RuntimeSettings.builder()
          .prefix("/igw/prefix")
          .jsModule("/usr/lib/nginx/modules/js.so")
          .njsDir("/igw/njs")
          .pickerAddress("127.0.0.1:9001")
          .listenAddress("127.0.0.1")
          .bodyLimitBytes(1024 * 1024)
          .workerProcesses(1)
          .pickTimeoutMs(5000)
          .completionFeed("127.0.0.1:9514")
          .build();

  private Fixtures() {}

  /** Settings for a real NGINX in {@code prefix}. */
  public static RuntimeSettings settings(
      io.igw.controller.apply.NginxBinary nginx,
      io.igw.controller.apply.NginxPrefix prefix,
      String completionFeed) {
    return RuntimeSettings.builder()
        .prefix(prefix.root().toString())
        .jsModule(nginx.jsModule() == null ? null : nginx.jsModule().toString())
        .njsDir(repo("njs").toString())
        .pickerAddress("127.0.0.1:9001")
        .listenAddress("127.0.0.1")
        .bodyLimitBytes(1024 * 1024)
        .workerProcesses(1)
        .user(RuntimeSettings.workerUser())
        .pickTimeoutMs(5000)
        .completionFeed(completionFeed)
        .build();
  }

  public static io.igw.controller.apply.NginxBinary nginx() {
    return io.igw.controller.apply.NginxBinary.find()
        .orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
  }

  public static ConfigPipeline pipeline(io.igw.controller.apply.NginxBinary nginx) {
    return ConfigPipeline.create(nginx, repo("nginx-conf"), "igw-picker");
  }

  public static Path repo(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(name))) {
      dir = dir.getParent();
    }
    return dir.resolve(name);
  }

  public static ClusterSnapshot snapshot(String yaml) {
    return ClusterSnapshot.of(new ManifestReader().readString("test", yaml));
  }

  public static ClusterSnapshot fixture(String name) throws Exception {
    return snapshot(fixtureText(name));
  }

  /**
   * A fixture's YAML, with {@code ${TEST_CERT}}/{@code ${TEST_KEY}} replaced by a certificate made
   * now.
   */
  public static String fixtureText(String name) throws Exception {
    var cert = io.igw.api.testing.TestCertificates.selfSigned("secure.example.com");
    return java.nio.file.Files.readString(
            repo("controller").resolve("src/test/resources/fixtures/" + name))
        .replace("${TEST_CERT}", cert.certBase64())
        .replace("${TEST_KEY}", cert.keyBase64());
  }

  public static Graph graph(ClusterSnapshot snapshot) {
    return new GraphBuilder(ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker")
        .build(snapshot);
  }

  public static NginxConfig model(ClusterSnapshot snapshot) {
    return new GatewayModelBuilder().build(graph(snapshot), SETTINGS, null);
  }

  /** "status/reason" of the condition of that type, "(none)" when absent. */
  public static String condition(
      java.util.List<io.fabric8.kubernetes.api.model.Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("(none)");
  }

  public static String render(ClusterSnapshot snapshot) {
    return render(snapshot, SETTINGS);
  }

  public static String render(ClusterSnapshot snapshot, RuntimeSettings settings) {
    NginxConfig config = new GatewayModelBuilder().build(graph(snapshot), settings, null);
    return new NginxConfigRenderer(repo("nginx-conf")).render(config).get(0).text();
  }
}
