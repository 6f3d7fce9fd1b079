package io.igw.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Waits for the picker's first complete view before a test sends: /ready (informers synced, every
 * endpoint scraped and asked for its models once) and, where the servers publish metrics, a
 * snapshot of each. Picks made earlier are blind (no queue, no adapters), which is a product fact,
 * not what a routing test is about.
 */
final class PickerView {
  private PickerView() {}

  static void await(int pickerPort, boolean metricsOnEveryEndpoint) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      try {
        var ready = Http.get("http://127.0.0.1:" + pickerPort + "/ready");
        last = ready.body();
        if (ready.statusCode() == 200
            && (!metricsOnEveryEndpoint || everyEndpointHasMetrics(pickerPort))) {
          return;
        }
      } catch (java.io.IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        "the picker on " + pickerPort + " has no complete view after 30 s: " + last);
  }

  private static boolean everyEndpointHasMetrics(int pickerPort) throws Exception {
    JsonArray pools =
        new JsonObject(Http.get("http://127.0.0.1:" + pickerPort + "/debug/pools").body())
            .getJsonArray("pools");
    for (Object pool : pools) {
      for (Object endpoint : ((JsonObject) pool).getJsonArray("endpoints")) {
        JsonObject e = (JsonObject) endpoint;
        if (e.getJsonObject("metrics") == null || e.getJsonArray("models") == null) {
          return false;
        }
      }
    }
    return true;
  }
}
