package io.igw.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import io.igw.controller.status.LocalStatusFile;
import io.igw.controller.status.StatusBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apply semantics with a real NGINX: start once, reload on change only, keep the last good config.
 */
class GatewayReconcilerTest {
  private final AtomicReference<ClusterSnapshot> snapshot = new AtomicReference<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private NginxPrefix prefix;
  private NginxSupervisor nginx;
  private GatewayReconciler reconciler;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    NginxBinary binary = Fixtures.nginx();
    prefix = new NginxPrefix(Files.createTempDirectory("igw-reconcile-")).create();
    port = TestPorts.take();
    RuntimeSettings settings = Fixtures.settings(binary, prefix, null);
    ConfigPipeline pipeline = Fixtures.pipeline(binary);
    nginx = new NginxSupervisor(binary, prefix);
    reconciler =
        new GatewayReconciler(
            snapshot::get,
            pipeline,
            settings,
            port,
            prefix,
            nginx,
            new StatusBuilder(ControllerMain.CONTROLLER_NAME),
            new LocalStatusFile(prefix),
            new EventLog(new PrintStream(log, true)));
  }

  @AfterEach
  void tearDown() {
    nginx.close();
  }

  @Test
  void startsOnceReloadsOnlyOnChangeAndKeepsTheLastGoodConfig() throws Exception {
    snapshot.set(Fixtures.fixture("two-gateways.yaml"));
    reconciler.reconcile();
    assertThat(nginx.running()).isTrue();
    long pid = nginx.pid();
    String good = Files.readString(prefix.conf());

    reconciler.reconcile();
    assertThat(events("nginx_reloaded")).isZero();
    assertThat(nginx.pid()).isEqualTo(pid);

    // a certificate NGINX cannot load passes every allow-list check but fails nginx -t
    snapshot.set(
        Fixtures.snapshot(
            Fixtures.fixtureText("https.yaml")
                .replaceAll(
                    "tls.key: .*",
                    "tls.key: "
                        + java.util.Base64.getEncoder()
                            .encodeToString(
                                "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n"
                                    .getBytes()))));
    reconciler.reconcile();
    assertThat(Files.readString(prefix.conf())).isEqualTo(good);
    assertThat(Files.exists(prefix.root().resolve("conf/nginx.conf.rejected"))).isTrue();
    assertThat(log.toString()).contains("event=config_rejected");
    assertThat(Files.readString(prefix.root().resolve(LocalStatusFile.PATH)))
        .contains("the new config failed nginx -t and was not applied");
    assertThat(nginx.running()).isTrue();

    snapshot.set(
        Fixtures.snapshot(
            Files.readString(
                    Fixtures.repo("controller")
                        .resolve("src/test/resources/fixtures/two-gateways.yaml"))
                .replace("value: /v1}", "value: /v2}")));
    reconciler.reconcile();
    assertThat(events("nginx_reloaded")).isEqualTo(1);
    assertThat(Files.readString(prefix.conf())).contains("location /v2/ {");
  }

  private long events(String name) {
    return log.toString().lines().filter(l -> l.contains("event=" + name)).count();
  }
}
