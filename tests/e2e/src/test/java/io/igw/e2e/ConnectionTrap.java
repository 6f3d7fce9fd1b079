package io.igw.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener nobody should reach: it counts the connections it accepts and closes them.
 */
final class ConnectionTrap implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();

  ConnectionTrap(String loopbackIp) throws IOException {
    if (!InetAddress.getByName(loopbackIp).isLoopbackAddress()) {
      throw new IllegalArgumentException("a trap listens on loopback only: " + loopbackIp);
    }
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(loopbackIp, 0));
    Thread thread = new Thread(this::acceptLoop, "trap-" + loopbackIp);
    thread.setDaemon(true);
    thread.start();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        accepted.incrementAndGet();
      } catch (IOException closed) {
        return;
      }
    }
  }

  String address() {
    return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
