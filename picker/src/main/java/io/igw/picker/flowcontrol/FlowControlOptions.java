package io.igw.picker.flowcontrol;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;

/**
 * Whether flow control is on even when the EndpointPickerConfig does not enable its {@code
 * flowControl} feature gate (then with the config's {@code flowControl} section if it has one, else
 * the defaults). Off by default.
 */
public class FlowControlOptions {
  public static final boolean DEFAULT_ENABLED = false;

  private boolean enabled = DEFAULT_ENABLED;

  public FlowControlOptions() {}

  public FlowControlOptions(JsonObject json) {
    setEnabled(OptionsJson.bool(json, "enabled", enabled));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public FlowControlOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }
}
