package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.igw.api.TokenRateLimitPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The TokenRateLimitPolicy CRD: one file in api/ and the chart's crds/, naming the Java type. */
class RateLimitCrdTest {
  private static final String FILE = "gateway.igw.io_tokenratelimitpolicies.yaml";

  @Test
  void theChartShipsTheApiModulesCrdAsItIs() throws Exception {
    Path api = Repo.root().resolve("api/src/main/resources/crds").resolve(FILE);
    Path chart = Repo.chart().resolve("crds").resolve(FILE);
    assertThat(Files.readString(chart)).isEqualTo(Files.readString(api));
  }

  @Test
  void theCrdNamesTheKindTheCodeReads() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Repo.root().resolve("api/src/main/resources/crds").resolve(FILE)),
            CustomResourceDefinition.class);
    assertThat(crd.getSpec().getGroup()).isEqualTo(TokenRateLimitPolicy.GROUP);
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(TokenRateLimitPolicy.KIND);
    assertThat(crd.getSpec().getVersions())
        .singleElement()
        .satisfies(v -> assertThat(v.getName()).isEqualTo(TokenRateLimitPolicy.VERSION));
    assertThat(crd.getMetadata().getName()).isEqualTo(new TokenRateLimitPolicy().getCRDName());
  }
}
