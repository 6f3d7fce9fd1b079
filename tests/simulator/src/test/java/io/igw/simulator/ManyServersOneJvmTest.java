package io.igw.simulator;

import static io.igw.simulator.SimulatorHttpTest.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several servers share one port on their own loopback addresses (Linux routes all of 127.0.0.0/8).
 */
@ExtendWith(VertxExtension.class)
class ManyServersOneJvmTest {

  @Test
  void eachAddressAnswersAsItsOwnServer(Vertx vertx) throws Exception {
    int port = TestPorts.take(); // one port on three addresses: known before the first listens
    List<SimulatorServer> servers = new ArrayList<>();
    for (String host : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13")) {
      servers.add(
          join(
              SimulatorServer.start(
                  vertx,
                  new SimulatorOptions()
                      .setHost(host)
                      .setPort(port)
                      .setLoras(host.endsWith("13") ? List.of("sql-lora") : List.of()))));
    }
    WebClient client = WebClient.create(vertx);
    try {
      for (SimulatorServer server : servers) {
        var response = join(client.get(port, server.host(), "/v1/models").send());
        assertThat(response.getHeader("x-igw-served-by")).isEqualTo(server.host() + ":" + port);
        assertThat(response.bodyAsJsonObject().getJsonArray("data"))
            .hasSize(server.host().endsWith("13") ? 2 : 1);
      }
    } finally {
      client.close();
      join(Future.all(servers.stream().map(SimulatorServer::close).toList()));
    }
  }
}
