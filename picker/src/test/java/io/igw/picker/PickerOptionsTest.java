package io.igw.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.core.PickOptions;
import io.igw.picker.extproc.EppTls;
import io.igw.picker.extproc.ExtProcOptions;
import io.igw.picker.flowcontrol.FlowControlOptions;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.relay.RelayOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class PickerOptionsTest {

  @Test
  void theDefaultsRoundTripThroughJson() {
    JsonObject json = new PickerOptions().toJson();
    assertThat(new PickerOptions(json).toJson()).isEqualTo(json);
    assertThat(json.getJsonObject("pickApi").getInteger("port"))
        .isEqualTo(PickApiOptions.DEFAULT_PORT);
    assertThat(json.getJsonObject("completionFeed").getInteger("port"))
        .isEqualTo(CompletionFeedOptions.DEFAULT_PORT);
    assertThat(json.getJsonObject("pick").getString("schedulerPreset"))
        .isEqualTo(PickOptions.DEFAULT_SCHEDULER_PRESET);
  }

  @Test
  void everyConcernRoundTripsThroughJson() {
    PickerOptions options =
        new PickerOptions()
            .setManifestsFolder("/m")
            .setKubernetesNamespace("ns")
            .setPickApi(
                new PickApiOptions()
                    .setHost("0.0.0.0")
                    .setPort(0)
                    .setPickThreads(3)
                    .setMaxBodyBytes(1024))
            .setCollector(
                new CollectorOptions()
                    .setScrapeIntervalMs(20)
                    .setModelsIntervalMs(30)
                    .setScrapeTimeoutMs(40)
                    .setMaxConcurrentScrapes(5)
                    .setMaxMetricsBytes(60))
            .setCompletionFeed(new CompletionFeedOptions().setPort(0).setInFlightExpiryMs(70))
            .setFlowControl(new FlowControlOptions().setEnabled(true))
            .setExtProc(
                new ExtProcOptions()
                    .setHost("0.0.0.0")
                    .setPort(9003)
                    .setMaxBodyBytes(2048)
                    .setPool("ns/p")
                    .setCertPath("/c")
                    .setKeyPath("/k")
                    .setOwnService("mine")
                    .setEppTls(EppTls.PLAINTEXT)
                    .addInsecurePool("ns/q")
                    .setEppTrustPath("/t")
                    .setPickTimeoutMs(80)
                    .setResponsePhaseMs(90)
                    .setServedReportTimeoutMs(95))
            .setRelay(
                new RelayOptions()
                    .setPort(0)
                    .setConnectTimeoutMs(11)
                    .setUpstreamTimeoutMs(12)
                    .setMaxConnectionsPerEndpoint(13))
            .setPick(
                new PickOptions()
                    .setSchedulerConfigFile("/epp.yaml")
                    .setSchedulerPreset("reference")
                    .setMaxEndpointsPerPick(2)
                    .setStaleAfterMs(100));
    JsonObject json = options.toJson();
    PickerOptions read = new PickerOptions(json);
    assertThat(read.toJson()).isEqualTo(json);
    assertThat(read.getExtProc().getEppTls()).isEqualTo(EppTls.PLAINTEXT);
    assertThat(read.getExtProc().eppTlsFor("ns/q")).isEqualTo(EppTls.INSECURE_SKIP_VERIFY);
    assertThat(read.getFlowControl().isEnabled()).isTrue();
    assertThat(read.getPick().getMaxEndpointsPerPick()).isEqualTo(2);
    assertThat(read.getCollector().getMaxMetricsBytes()).isEqualTo(60);
    assertThat(read.getRelay().getMaxConnectionsPerEndpoint()).isEqualTo(13);
    assertThat(read.getExtProc().getServedReportTimeoutMs()).isEqualTo(95);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"pickApi\": {\"pickThreads\": 0}}           | pickApi.pickThreads must be at least 1, got 0",
        "{\"pickApi\": {\"port\": \"9001\"}}           | pickApi.port must be an integer, got \"9001\"",
        "{\"pickApi\": {\"port\": 70000}}              | pickApi.port must be between 0 and 65535, got 70000",
        "{\"collector\": {\"scrapeIntervalMs\": 0}}    | collector.scrapeIntervalMs must be at least 1, got 0",
        "{\"completionFeed\": {\"port\": 1.5}}         | completionFeed.port must be an integer, got 1.5",
        "{\"flowControl\": {\"enabled\": \"yes\"}}     | flowControl.enabled must be true or false, got \"yes\"",
        "{\"extProc\": {\"eppTls\": \"sometimes\"}}    "
            + "| extProc.eppTls must be verify, insecure-skip-verify or plaintext, got \"sometimes\"",
        "{\"extProc\": {\"insecurePools\": [1]}}       | extProc.insecurePools must be a list of strings, got [1]",
        "{\"pick\": {\"maxEndpointsPerPick\": 0}}      | pick.maxEndpointsPerPick must be at least 1, got 0",
        "{\"relay\": {\"connectTimeoutMs\": 0}}       | relay.connectTimeoutMs must be at least 1, got 0",
        "{\"pick\": 3}                                 | pick must be an object, got 3",
        "{\"kubernetes\": 1}                           | kubernetes must be true or false, got 1",
      })
  void aBadFieldIsNamedInTheError(String json, String message) {
    assertThatThrownBy(() -> new PickerOptions(new JsonObject(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void settersNameTheFieldTheyRefuse() {
    assertThatThrownBy(() -> new PickApiOptions().setMaxBodyBytes(0))
        .hasMessage("maxBodyBytes must be at least 1, got 0");
    assertThatThrownBy(() -> new ExtProcOptions().setPickTimeoutMs(-1))
        .hasMessage("pickTimeoutMs must be at least 1, got -1");
    assertThatThrownBy(() -> new PickOptions().setStaleAfterMs(-1))
        .hasMessage("staleAfterMs must be at least 0, got -1");
  }

  @Test
  void theCommandLineFillsEachConcern() {
    PickerMain main = new PickerMain();
    new CommandLine(main)
        .parseArgs(
            "--manifests",
            "/m",
            "--host",
            "0.0.0.0",
            "--port",
            "9100",
            "--pick-threads",
            "2",
            "--max-body-bytes",
            "1000",
            "--scrape-interval-ms",
            "25",
            "--models-interval-ms",
            "500",
            "--syslog-port",
            "9200",
            "--config",
            "/epp.yaml",
            "--scheduler-preset",
            "reference",
            "--flow-control",
            "--ext-proc-port",
            "9300",
            "--ext-proc-pool",
            "ns/p",
            "--picker-service",
            "mine",
            "--epp-tls",
            "plaintext",
            "--epp-insecure-pool",
            "ns/q",
            "--epp-timeout-ms",
            "700",
            "--epp-response-timeout-ms",
            "800",
            "--relay-port",
            "9400");
    PickerOptions options = main.options();
    assertThat(options.getManifestsFolder()).isEqualTo("/m");
    assertThat(options.getPickApi().toJson())
        .isEqualTo(
            new JsonObject()
                .put("host", "0.0.0.0")
                .put("port", 9100)
                .put("pickThreads", 2)
                .put("maxBodyBytes", 1000));
    assertThat(options.getCollector().getScrapeIntervalMs()).isEqualTo(25);
    assertThat(options.getCollector().getModelsIntervalMs()).isEqualTo(500);
    assertThat(options.getCompletionFeed().getPort()).isEqualTo(9200);
    assertThat(options.getPick().getSchedulerConfigFile()).isEqualTo("/epp.yaml");
    assertThat(options.getPick().getSchedulerPreset()).isEqualTo("reference");
    assertThat(options.getFlowControl().isEnabled()).isTrue();
    ExtProcOptions extProc = options.getExtProc();
    assertThat(extProc.getHost()).isEqualTo("0.0.0.0");
    assertThat(extProc.getMaxBodyBytes()).isEqualTo(1000);
    assertThat(extProc.getPort()).isEqualTo(9300);
    assertThat(extProc.getPool()).isEqualTo("ns/p");
    assertThat(extProc.getOwnService()).isEqualTo("mine");
    assertThat(extProc.getEppTls()).isEqualTo(EppTls.PLAINTEXT);
    assertThat(extProc.getInsecurePools()).containsExactly("ns/q");
    assertThat(extProc.getPickTimeoutMs()).isEqualTo(700);
    assertThat(extProc.getServedReportTimeoutMs()).isEqualTo(800);
    assertThat(options.getRelay().getPort()).isEqualTo(9400);
  }

  @Test
  void withoutFlagsTheCommandLineGivesTheDefaults() {
    PickerMain main = new PickerMain();
    new CommandLine(main).parseArgs("--manifests", "/m");
    assertThat(main.options().toJson())
        .isEqualTo(new PickerOptions().setManifestsFolder("/m").toJson());
  }
}
