package io.igw.picker.pick;

import io.igw.picker.http.SharedHttpServer;
import io.igw.picker.models.ModelsApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The pick API on several event loops ({@link SharedHttpServer}), so picks run on several event
 * loops. The {@link PickApi} is shared between them: everything a pick touches is thread-safe (see
 * {@code PickerServerImpl}).
 */
public final class PickApiVerticle {
  private PickApiVerticle() {}

  /**
   * Deploys {@code instances} servers of {@code api} and {@code models} (the gateway's model list)
   * on {@code options}' host and port (0: a free one).
   */
  public static Future<SharedHttpServer.Deployment> deploy(
      Vertx vertx, PickApi api, ModelsApi models, HttpServerOptions options, int instances) {
    return SharedHttpServer.deploy(
        vertx,
        v -> {
          Router router = api.router(v);
          models.mount(router);
          return router;
        },
        options,
        instances);
  }
}
