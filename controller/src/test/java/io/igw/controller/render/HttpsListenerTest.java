package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.ConfigPipeline;
import io.igw.controller.ControllerMain;
import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxConfigCheck;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.graph.AllowListValidator;
import io.igw.controller.graph.GraphBuilder;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.RuntimeSettings;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** HTTPS listeners: certificates from Secrets are written beside nginx.conf and pass nginx -t. */
class HttpsListenerTest {

  @Test
  void certificateFromASecretIsWrittenAndChecked() throws Exception {
    NginxBinary nginx = NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-https-")).create();
    RuntimeSettings settings = new RuntimeSettings(prefix.root().toString(),
        nginx.jsModule() == null ? null : nginx.jsModule().toString(), Fixtures.repo("njs").toString(),
        "127.0.0.1:9001", "127.0.0.1", 1024 * 1024, 1, null, 5000, null);
    var pipeline = new ConfigPipeline(
        new GraphBuilder(ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker"),
        new GatewayModelBuilder(), new NginxConfigRenderer(Fixtures.repo("nginx-conf")), new NginxConfigCheck(nginx));
    var outcome = pipeline.run(Fixtures.fixture("https.yaml"), settings, null, prefix);

    assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
    String conf = Files.readString(prefix.conf());
    assertThat(conf).contains("listen 127.0.0.1:443 ssl;").contains("server_name secure.example.com;")
        .doesNotContain(":8443");
    var cert = outcome.config().certificates().get(0);
    assertThat(conf).contains("ssl_certificate " + prefix.root() + "/conf/" + cert.certPath() + ";");
    assertThat(Files.readString(prefix.root().resolve("conf/" + cert.keyPath()))).contains("PRIVATE KEY");

    var missing = outcome.graph().gateways().get("default/secure").listeners().get(1);
    assertThat(missing.valid()).isFalse();
    assertThat(Fixtures.condition(missing.conditions(), "ResolvedRefs"))
        .isEqualTo("False/InvalidCertificateRef");
  }
}
