package io.igw.controller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

  @Test
  void unsetFieldsTakeTheirDefaults() {
    RuntimeSettings settings = RuntimeSettings.builder().prefix("/p").njsDir("/n").build();
    assertThat(settings.pickerAddress()).isEqualTo(RuntimeSettings.DEFAULT_PICKER_ADDRESS);
    assertThat(settings.listenAddress()).isEqualTo(RuntimeSettings.DEFAULT_LISTEN_ADDRESS);
    assertThat(settings.bodyLimitBytes()).isEqualTo(RuntimeSettings.DEFAULT_BODY_LIMIT_BYTES);
    assertThat(settings.workerProcesses()).isEqualTo(RuntimeSettings.DEFAULT_WORKER_PROCESSES);
    assertThat(settings.pickTimeoutMs()).isEqualTo(RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS);
    assertThat(settings.eppRequestHeaders()).isEqualTo(RuntimeSettings.DEFAULT_EPP_REQUEST_HEADERS);
    assertThat(settings.pickerMaxConns()).isEqualTo(RuntimeSettings.DEFAULT_PICKER_MAX_CONNS);
    assertThat(settings.connectionsPerClient())
        .isEqualTo(RuntimeSettings.DEFAULT_CONNECTIONS_PER_CLIENT);
    assertThat(settings.upstreamTimeoutMs()).isEqualTo(RuntimeSettings.DEFAULT_UPSTREAM_TIMEOUT_MS);
    assertThat(settings.jsModule()).isNull();
    assertThat(settings.user()).isNull();
    assertThat(settings.completionFeed()).isNull();
    assertThat(settings.responsePhase()).isEqualTo(ResponsePhase.REPORT);
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    RuntimeSettings settings =
        RuntimeSettings.builder()
            .prefix("/p")
            .njsDir("/n")
            .completionFeed("127.0.0.1:1")
            .eppRequestHeaders(List.of("X-A"))
            .upstreamTimeoutMs(5)
            .build();
    RuntimeSettings changed =
        settings.toBuilder().pickerMaxConns(8).connectionsPerClient(0).build();
    assertThat(changed)
        .isEqualTo(
            new RuntimeSettings(
                "/p",
                null,
                "/n",
                RuntimeSettings.DEFAULT_PICKER_ADDRESS,
                RuntimeSettings.DEFAULT_LISTEN_ADDRESS,
                RuntimeSettings.DEFAULT_BODY_LIMIT_BYTES,
                RuntimeSettings.DEFAULT_WORKER_PROCESSES,
                null,
                RuntimeSettings.DEFAULT_PICK_TIMEOUT_MS,
                "127.0.0.1:1",
                List.of("X-A"),
                8,
                0,
                5,
                ResponsePhase.REPORT,
                true));
    assertThat(settings.toBuilder().build()).isEqualTo(settings);
  }

  @Test
  void thePrefixAndTheNjsFolderAreRequiredAndLimitsChecked() {
    assertThatThrownBy(() -> RuntimeSettings.builder().njsDir("/n").build())
        .hasMessageContaining("prefix=null");
    assertThatThrownBy(() -> RuntimeSettings.builder().prefix("/p").build())
        .hasMessageContaining("njsDir=null");
    assertThatThrownBy(
            () -> RuntimeSettings.builder().prefix("/p").njsDir("/n").pickerMaxConns(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> RuntimeSettings.builder().prefix("/p").njsDir("/n").upstreamTimeoutMs(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
