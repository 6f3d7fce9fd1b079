package io.igw.controller.model;

/**
 * One change a RequestHeaderModifier makes to the request towards the model server: {@code SET}
 * replaces the header with {@code value}, {@code ADD} appends {@code value} to what the client sent
 * ({@link AppendedHeader}), {@code REMOVE} drops it ({@code value} null).
 */
public record HeaderChange(Kind kind, String name, String value) {
  public enum Kind {
    SET,
    ADD,
    REMOVE
  }

  public HeaderChange {
    if (kind == null || name == null || (value == null) != (kind == Kind.REMOVE)) {
      throw new IllegalArgumentException(
          "a header change needs a name, and a value unless it removes");
    }
  }

  public static HeaderChange set(String name, String value) {
    return new HeaderChange(Kind.SET, name, value);
  }

  public static HeaderChange add(String name, String value) {
    return new HeaderChange(Kind.ADD, name, value);
  }

  public static HeaderChange remove(String name) {
    return new HeaderChange(Kind.REMOVE, name, null);
  }
}
