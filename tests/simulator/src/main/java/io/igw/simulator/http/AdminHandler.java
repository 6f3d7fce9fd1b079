package io.igw.simulator.http;

import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.faults.FaultPlan;
import io.igw.simulator.log.EventLog;
import io.igw.simulator.metrics.MetricsFormat;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GET/POST /admin/config: read or change a running server's parameters, and vLLM's dynamic LoRA
 * endpoints (POST /v1/load_lora_adapter, /v1/unload_lora_adapter). A POST applies all its fields or
 * none.
 */
final class AdminHandler {

  private static final Set<String> FIELDS =
      Set.of(
          "profile",
          "timeScale",
          "maxNumSeqs",
          "maxNumBatchedTokens",
          "maxLoras",
          "prefixCaching",
          "naturalOutputTokens",
          "defaultMaxTokens",
          "metricsFlavor",
          "loras",
          "faults",
          "resetPrefixCache");

  private final ServerState state;

  AdminHandler(ServerState state) {
    this.state = state;
  }

  void handleGet(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(current().encode());
  }

  void handlePost(RoutingContext ctx) {
    JsonObject changes = jsonBody(ctx);
    for (String field : changes.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest(
            "'" + field + "' cannot be changed at run time; settable: " + FIELDS);
      }
    }
    try {
      apply(changes);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    EventLog.info("simulator_reconfigured", "name", state.name, "changes", changes.encode());
    handleGet(ctx);
  }

  void handleLoadLora(RoutingContext ctx) {
    String lora = loraName(ctx);
    if (state.served.serves(lora)) {
      throw ApiError.badRequest("The lora adapter '" + lora + "' has already been loaded.");
    }
    List<String> loras = new ArrayList<>(state.served.adapters());
    loras.add(lora);
    setLoras(loras);
    ctx.response().end("Success: LoRA adapter '" + lora + "' added successfully.");
  }

  void handleUnloadLora(RoutingContext ctx) {
    String lora = loraName(ctx);
    if (!state.served.adapters().contains(lora)) {
      throw new ApiError(404, "NotFoundError", "The lora adapter '" + lora + "' cannot be found.");
    }
    List<String> loras = new ArrayList<>(state.served.adapters());
    loras.remove(lora);
    setLoras(loras);
    ctx.response().end("Success: LoRA adapter '" + lora + "' removed successfully.");
  }

  private void apply(JsonObject changes) {
    SimulatorOptions options = state.options;
    EngineConfig config = state.engine.config();
    if (changes.containsKey("profile")) {
      config = config.withProfile(EngineProfile.named(changes.getString("profile")));
    }
    config =
        config
            .withMaxNumSeqs(changes.getInteger("maxNumSeqs", config.maxNumSeqs()))
            .withMaxNumBatchedTokens(
                changes.getInteger("maxNumBatchedTokens", config.maxNumBatchedTokens()))
            .withMaxLoras(changes.getInteger("maxLoras", config.maxLoras()))
            .withPrefixCaching(changes.getBoolean("prefixCaching", config.prefixCaching()));
    FaultPlan faults =
        changes.containsKey("faults")
            ? FaultPlan.fromJson(changes.getJsonObject("faults"), state.faults.plan())
            : state.faults.plan();
    MetricsFormat format =
        changes.containsKey("metricsFlavor")
            ? MetricsFormat.named(changes.getString("metricsFlavor"))
            : state.metricsFormat;
    double timeScale = changes.getDouble("timeScale", state.engine.timeScale());
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be > 0");
    }
    // everything is valid: apply
    state.engine.reconfigure(config);
    if (changes.containsKey("profile")) {
      state.renderer = ServerState.renderer(config.profile(), options.getTokenizer());
    }
    state.faults.setPlan(faults);
    state.metricsFormat = format;
    if (timeScale != state.engine.timeScale()) {
      state.engine.setTimeScale(timeScale);
    }
    if (changes.containsKey("loras")) {
      setLoras(changes.getJsonArray("loras").stream().map(String::valueOf).toList());
    }
    if (changes.getBoolean("resetPrefixCache", false)) {
      state.engine.resetPrefixCache();
    }
    options
        .setProfile(config.profile().name())
        .setMaxNumSeqs(config.maxNumSeqs())
        .setMaxNumBatchedTokens(config.maxNumBatchedTokens())
        .setMaxLoras(config.maxLoras())
        .setPrefixCaching(config.prefixCaching())
        .setTimeScale(timeScale)
        .setFaults(faults.toJson())
        .setNaturalOutputTokens(
            changes.getInteger("naturalOutputTokens", options.getNaturalOutputTokens()))
        .setDefaultMaxTokens(changes.getInteger("defaultMaxTokens", options.getDefaultMaxTokens()));
    if (changes.containsKey("metricsFlavor")) {
      options.setMetricsFlavor(changes.getString("metricsFlavor"));
    }
  }

  private void setLoras(List<String> loras) {
    state.served =
        new ServedModels(state.served.baseModel(), loras, state.served.createdEpochSeconds());
    state.options.setLoras(loras);
  }

  private JsonObject current() {
    return state
        .options
        .toJson()
        .put("name", state.name)
        .put("loras", new JsonArray(state.served.adapters()));
  }

  private static String loraName(RoutingContext ctx) {
    Object name = jsonBody(ctx).getValue("lora_name");
    if (!(name instanceof String lora) || lora.isBlank()) {
      throw ApiError.badRequest("'lora_name' is required.");
    }
    return lora;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ApiError.badRequest("Expected a JSON object body.");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.badRequest("Expected a JSON object body.");
    }
  }
}
