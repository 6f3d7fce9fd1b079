package io.igw.picker.extproc;

import static org.awaitility.Awaitility.await;

import io.igw.api.testing.TestCertificates;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * How the ext_proc tests start a picker that serves ext_proc over TLS (the test certificate) for
 * pool {@value #POOL}.
 */
final class ExtProcPickers {
  static final String POOL = "default/p";

  private ExtProcPickers() {}

  /** ext_proc on a free port for {@value #POOL}, TLS with the test certificate. */
  static ExtProcOptions tls() {
    return new ExtProcOptions()
        .setPort(0)
        .setPool(POOL)
        .setCertPath(TestCertificates.selfSigned("test-epp").cert().toString())
        .setKeyPath(TestCertificates.selfSigned("test-epp").key().toString());
  }

  /**
   * A picker over the manifests in {@code yaml}: ext_proc as {@link #tls()}, the pick API on a free
   * port, the collector at the tests' short intervals.
   */
  static PickerOptions options(String yaml) {
    return new PickerOptions()
        .setResources(Manifests.read(yaml))
        .setExtProc(tls())
        .setPickApi(new PickApiOptions().setPort(0))
        .setCollector(new CollectorOptions().setScrapeIntervalMs(20).setModelsIntervalMs(50));
  }

  /** Waits until the picker knows {@value #POOL}'s models: an unknown model is a 404, not a 503. */
  static void awaitModels(Vertx vertx, PickerServer picker) {
    PickClient http = new PickClient(vertx, picker.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> http.pick(POOL, "{\"model\":\"nope\"}").status() == 404);
  }
}
