package io.igw.picker.relay;

import io.igw.picker.http.SharedHttpServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

/**
 * The relay on several event loops ({@link SharedHttpServer}), so relayed streams spread over them;
 * a request stays on the loop of its NGINX connection.
 */
public final class RelayVerticle {
  private RelayVerticle() {}

  /**
   * Deploys {@code instances} listeners of {@code relay} on {@code options}' host and port (0: a
   * free one).
   */
  public static Future<SharedHttpServer.Deployment> deploy(
      Vertx vertx, ResponseRelay relay, HttpServerOptions options, int instances) {
    // NGINX speaks HTTP/1.1 to the relay; bodies pass as the server sent them
    HttpServerOptions relayOptions =
        new HttpServerOptions(options)
            .setHttp2ClearTextEnabled(false)
            .setCompressionSupported(false)
            .setDecompressionSupported(false);
    return SharedHttpServer.deploy(vertx, v -> relay::handle, relayOptions, instances);
  }
}
