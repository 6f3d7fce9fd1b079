package io.igw.bench.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clients that send a request's headers at once, then its body one byte a second (a slow link, or a
 * slowloris): each holds a connection and a body buffer in NGINX for as long as it dribbles. One
 * thread writes for all of them.
 */
final class SlowClients implements AutoCloseable {
  static final int BODY_BYTES = 2000;

  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
  private volatile int writing;

  private SlowClients() {}

  static SlowClients open(int count, InetSocketAddress gateway) throws IOException {
    SlowClients clients = new SlowClients();
    byte[] head =
        ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                + "content-length: "
                + BODY_BYTES
                + "\r\n"
                + FaultLoad.POOL_HEADER
                + ": close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        socket.connect(gateway, 5000);
        socket.getOutputStream().write(head);
        socket.getOutputStream().flush();
        clients.sockets.add(socket);
      }
    } catch (IOException e) {
      clients.close();
      throw e;
    }
    clients.writer.scheduleAtFixedRate(clients::dribble, 1, 1, TimeUnit.SECONDS);
    return clients;
  }

  private void dribble() {
    int alive = 0;
    for (Socket socket : sockets) {
      try {
        OutputStream out = socket.getOutputStream();
        out.write('{');
        out.flush();
        alive++;
      } catch (IOException closedByTheGateway) {
        // counted as not writing
      }
    }
    writing = alive;
  }

  /** Connections still taking bytes at the last second. */
  int writing() {
    return writing;
  }

  @Override
  public void close() {
    writer.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
