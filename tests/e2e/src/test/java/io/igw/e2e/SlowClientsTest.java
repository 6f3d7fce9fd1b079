package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that dribble their bodies hold a connection each, and nothing else: while they send,
 * normal requests are served (NGINX buffers bodies before njs or the picker see anything). The
 * per-client limit is off here so the test can open many connections from one address; that limit
 * has its own test (ConnectionLimitsTest).
 */
class SlowClientsTest {
  static final int SLOW = 100;

  @Test
  void normalRequestsAreServedWhileSlowClientsSendTheirBodies() throws Exception {
    try (GatewayStack stack = GatewayStack.start(new GatewayStack.Options().limits(128, 0))) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < SLOW; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), stack.gatewayPort());
          OutputStream out = s.getOutputStream();
          out.write(
              ("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 2000\r\n\r\n{\"model\":")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          slow.add(s);
        }
        for (int i = 0; i < 10; i++) {
          for (Socket s : slow) {
            s.getOutputStream().write(' ');
            s.getOutputStream().flush();
          }
          var response =
              Http.post(
                  stack.gatewayPort(),
                  "/v1/completions",
                  Http.completion(GatewayStack.BASE_MODEL, 1));
          assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }
}
