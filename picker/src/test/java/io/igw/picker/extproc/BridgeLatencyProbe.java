package io.igw.picker.extproc;

import io.igw.api.testing.TestCertificates;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Measures pick latency (HTTP pick API round trip, as NGINX sees it) in-process vs through the
 * bridge to igw's own ext_proc server (h2c, and TLS), sequential picks on one keep-alive
 * connection, each followed by its completion record. Not a test: run it by hand (see the extproc
 * report for the command); numbers depend on the machine.
 */
public final class BridgeLatencyProbe {
  private BridgeLatencyProbe() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int picks = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
    Vertx vertx = Vertx.vertx();
    StubModelServer s1 =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    StubModelServer s2 =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    String pool =
        Manifests.pool("p", s1.port(), s2.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    PickerServer plainEpp = epp(vertx, pool, false);
    PickerServer tlsEpp = epp(vertx, pool, true);
    PickerServer gateway =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(bridged("h2c", plainEpp) + bridged("tls", tlsEpp)))
                    .setExtProc(
                        new ExtProcOptions()
                            .addInsecurePool("default/tls")
                            .setPickTimeoutMs(10_000)
                            .setEppTls(EppTls.PLAINTEXT))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    Thread.sleep(1000);
    String body = "{\"model\":\"base\",\"prompt\":\"" + "hello world ".repeat(300) + "\"}";
    for (int round = 1; round <= 2; round++) {
      System.out.println("round " + round);
      report(
          "in-process",
          measure(
              plainEpp.port(), "default/p", body, warmup, picks, plainEpp.completionFeedPort()));
      report(
          "bridge h2c",
          measure(
              gateway.port(), "default/h2c", body, warmup, picks, gateway.completionFeedPort()));
      report(
          "bridge tls",
          measure(
              gateway.port(), "default/tls", body, warmup, picks, gateway.completionFeedPort()));
    }
    for (PickerServer server : List.of(gateway, plainEpp, tlsEpp)) {
      Await.result(server.close());
    }
    Await.result(vertx.close());
  }

  private static PickerServer epp(Vertx vertx, String pool, boolean tls) {
    ExtProcOptions ext = new ExtProcOptions().setPort(0).setPool("default/p");
    if (tls) {
      ext.setCertPath(TestCertificates.selfSigned("test-epp").cert().toString())
          .setKeyPath(TestCertificates.selfSigned("test-epp").key().toString());
    }
    return Await.result(
        PickerServer.start(
            vertx,
            new PickerOptions()
                .setResources(Manifests.read(pool))
                .setExtProc(ext)
                .setPickApi(new PickApiOptions().setPort(0))
                .setCollector(new CollectorOptions().setScrapeIntervalMs(50))
                .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
  }

  private static String bridged(String name, PickerServer epp) {
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: none}}
          targetPorts: [{number: 8000}]
          endpointPickerRef: {name: epp-%s, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: epp-%s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        ---
        """
        .formatted(name, name, epp.extProcPort(), name, epp.extProcPort());
  }

  private static long[] measure(
      int port, String pool, String body, int warmup, int picks, int feedPort) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long[] nanos = new long[picks];
    try (DatagramSocket feed = new DatagramSocket()) {
      for (int i = 0; i < warmup + picks; i++) {
        String id = pool + "-" + i;
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/pick?pool="
                            + pool
                            + "&path=%2Fv1%2Fcompletions&method=POST"))
                .header("x-igw-request-id", id)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (answer.statusCode() != 200) {
          throw new IllegalStateException(
              pool + " answered " + answer.statusCode() + " " + answer.body());
        }
        if (i >= warmup) {
          nanos[i - warmup] = took;
        }
        if (feedPort > 0) {
          byte[] line =
              ("{\"request_id\":\""
                      + id
                      + "\",\"endpoint\":\""
                      + answer
                          .headers()
                          .firstValue("x-gateway-destination-endpoint")
                          .orElseThrow()
                          .split(",")[0]
                      + "\",\"status\":\"200\",\"request_time\":\"0.001\"}")
                  .getBytes(StandardCharsets.UTF_8);
          feed.send(
              new DatagramPacket(line, line.length, InetAddress.getLoopbackAddress(), feedPort));
        }
      }
    }
    return nanos;
  }

  private static void report(String name, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-12s picks=%d p50=%.3f ms p99=%.3f ms p99.9=%.3f ms%n",
        name,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[(int) (sorted.length * 0.999)] / 1e6);
  }
}
