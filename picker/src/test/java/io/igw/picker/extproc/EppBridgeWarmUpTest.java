package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.CapturedLog;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * At start the bridge opens a channel to each foreign EPP it knows, so the first pick skips the
 * handshakes.
 */
class EppBridgeWarmUpTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  static String bridged(String pool, String service, int port) {
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: nothing-here}}
          targetPorts: [{number: 8000}]
          endpointPickerRef: {name: %s, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        ---
        """
        .formatted(pool, service, port, service, port);
  }

  @Test
  void eachKnownEppIsAskedForItsHealthAtStartAndADeadOneDoesNotHoldTheStart() throws Exception {
    StubModelServer server =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    PickerServer epp =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(
                        Manifests.read(
                            Manifests.pool("p", server.port())
                                + Manifests.pod("p-0", "p", "127.0.0.1", true)))
                    .setExtProc(ExtProcPickers.tls())
                    .setPickApi(new PickApiOptions().setPort(0))));
    int deadPort = TestPorts.take(); // where nothing listens
    try (CapturedLog log = CapturedLog.of(EppBridge.class)) {
      PickerServer gateway =
          Await.result(
              PickerServer.start(
                  vertx,
                  new PickerOptions()
                      .setResources(
                          Manifests.read(
                              bridged("live", "live-epp", epp.extProcPort())
                                  + bridged("dead", "dead-epp", deadPort)))
                      .setExtProc(
                          new ExtProcOptions()
                              .addInsecurePool("default/live")
                              .addInsecurePool("default/dead"))
                      .setPickApi(new PickApiOptions().setPort(0))));
      String live =
          "event=bridge_warm_up epp=127.0.0.1:"
              + epp.extProcPort()
              + "/insecure_skip_verify outcome=SERVING";
      String dead =
          "event=bridge_warm_up epp=127.0.0.1:" + deadPort + "/insecure_skip_verify outcome=";
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  log.messages().contains(live)
                      && log.messages().stream().anyMatch(m -> m.startsWith(dead)));
      assertThat(log.messages().stream().filter(m -> m.startsWith(dead)).findFirst().orElseThrow())
          .doesNotContain("SERVING");
      Await.result(gateway.close());
    }
    Await.result(epp.close());
  }
}
