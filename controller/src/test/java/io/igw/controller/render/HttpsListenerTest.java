package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.RuntimeSettings;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** HTTPS listeners: certificates from Secrets are written beside nginx.conf and pass nginx -t. */
class HttpsListenerTest {

  @Test
  void certificateFromASecretIsWrittenAndChecked() throws Exception {
    NginxBinary nginx = Fixtures.nginx();
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-https-")).create();
    RuntimeSettings settings = Fixtures.settings(nginx, prefix, null);
    var pipeline = Fixtures.pipeline(nginx);
    var outcome = pipeline.run(Fixtures.fixture("https.yaml"), settings, null, prefix);

    assertThat(outcome.applied()).as(outcome.checkOutput()).isTrue();
    String conf = Files.readString(prefix.conf());
    assertThat(conf)
        .contains("listen 127.0.0.1:443 ssl;")
        .contains("server_name secure.example.com;")
        .doesNotContain(":8443");
    var cert = outcome.config().certificates().get(0);
    assertThat(conf)
        .contains("ssl_certificate " + prefix.root() + "/conf/" + cert.certPath() + ";");
    assertThat(Files.readString(prefix.root().resolve("conf/" + cert.keyPath())))
        .contains("PRIVATE KEY");

    var missing = outcome.graph().gateways().get("default/secure").listeners().get(1);
    assertThat(missing.valid()).isFalse();
    assertThat(Fixtures.condition(missing.conditions(), "ResolvedRefs"))
        .isEqualTo("False/InvalidCertificateRef");
  }
}
