package io.igw.picker.scheduling;

/**
 * A plugin's identity: its registered type and its name in the config (the type when not named).
 */
public record TypedName(String type, String name) {
  @Override
  public String toString() {
    return type.equals(name) ? type : name + "(" + type + ")";
  }
}
