package io.igw.controller.graph;

import io.igw.controller.source.ClusterSnapshot;
import io.igw.controller.source.ClusterSnapshot.ReferenceGrantView;
import java.util.Objects;

/** Whether a ReferenceGrant in the target's namespace allows a cross-namespace reference. */
final class ReferenceGrants {
  private ReferenceGrants() {}

  static boolean allows(
      ClusterSnapshot snapshot,
      String fromGroup,
      String fromKind,
      String fromNamespace,
      String toGroup,
      String toKind,
      String toNamespace,
      String toName) {
    for (ReferenceGrantView grant : snapshot.referenceGrants()) {
      if (!grant.namespace().equals(toNamespace)) {
        continue;
      }
      boolean fromOk =
          grant.from().stream()
              .anyMatch(
                  f ->
                      Objects.equals(f.group(), fromGroup)
                          && Objects.equals(f.kind(), fromKind)
                          && Objects.equals(f.namespace(), fromNamespace));
      boolean toOk =
          grant.to().stream()
              .anyMatch(
                  t ->
                      Objects.equals(nullToEmpty(t.group()), toGroup)
                          && Objects.equals(t.kind(), toKind)
                          && (t.name() == null || t.name().isEmpty() || t.name().equals(toName)));
      if (fromOk && toOk) {
        return true;
      }
    }
    return false;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
