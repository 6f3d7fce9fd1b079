package io.igw.simulator.faults;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Fault injection settings, each a probability per request, plus a slow start. As JSON (CLI
 * --faults, the options' "faults", POST /admin/config's "faults"): {@code
 * {"errorRate":0.1,"errorStatus":503,"dropRate":0,"hangRate":0,"crashRate":0,"crashAfterTokens":3,
 * "slowStartSeconds":0}}.
 *
 * @param slowStartSeconds for this long after start the server is not ready: /health and requests
 *     answer 503
 */
public record FaultPlan(
    double errorRate,
    int errorStatus,
    double dropRate,
    double hangRate,
    double crashRate,
    int crashAfterTokens,
    double slowStartSeconds) {

  public static final FaultPlan NONE = new FaultPlan(0, 500, 0, 0, 0, 1, 0);

  private static final Set<String> FIELDS =
      Set.of(
          "errorRate",
          "errorStatus",
          "dropRate",
          "hangRate",
          "crashRate",
          "crashAfterTokens",
          "slowStartSeconds");

  public FaultPlan {
    for (double rate : new double[] {errorRate, dropRate, hangRate, crashRate}) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rates must be within [0, 1], got " + rate);
      }
    }
    if (errorRate + dropRate + hangRate + crashRate > 1) {
      throw new IllegalArgumentException("fault rates add up to more than 1");
    }
    if (errorStatus < 400 || errorStatus > 599) {
      throw new IllegalArgumentException(
          "errorStatus must be a 4xx or 5xx status, got " + errorStatus);
    }
    if (crashAfterTokens < 0 || slowStartSeconds < 0) {
      throw new IllegalArgumentException(
          "crashAfterTokens and slowStartSeconds must not be negative");
    }
  }

  /** Reads a plan, taking unset fields from {@code base}; an unknown field is an error. */
  public static FaultPlan fromJson(JsonObject json, FaultPlan base) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "unknown fault setting '" + field + "', known: " + FIELDS);
      }
    }
    try {
      return new FaultPlan(
          json.getDouble("errorRate", base.errorRate),
          json.getInteger("errorStatus", base.errorStatus),
          json.getDouble("dropRate", base.dropRate),
          json.getDouble("hangRate", base.hangRate),
          json.getDouble("crashRate", base.crashRate),
          json.getInteger("crashAfterTokens", base.crashAfterTokens),
          json.getDouble("slowStartSeconds", base.slowStartSeconds));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("fault settings must be numbers: " + json.encode());
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("errorRate", errorRate)
        .put("errorStatus", errorStatus)
        .put("dropRate", dropRate)
        .put("hangRate", hangRate)
        .put("crashRate", crashRate)
        .put("crashAfterTokens", crashAfterTokens)
        .put("slowStartSeconds", slowStartSeconds);
  }
}
