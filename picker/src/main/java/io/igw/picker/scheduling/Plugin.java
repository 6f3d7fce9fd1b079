package io.igw.picker.scheduling;

/** Every plugin has an identity. */
public interface Plugin {
  TypedName typedName();
}
