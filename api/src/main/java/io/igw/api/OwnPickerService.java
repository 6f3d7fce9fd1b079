package io.igw.api;

/**
 * igw's own endpoint picker Service, and the one rule for whether a pool's {@code
 * endpointPickerRef} leaves the pool to it (the controller renders such a pool as picked
 * in-process; the picker does not bridge it to a foreign EPP). The Service is named
 * "namespace/name", or by a bare name that stands for it in every namespace.
 */
public final class OwnPickerService {
  /** The controller's and the picker's {@code --picker-service} default. */
  public static final String DEFAULT_NAME = "igw-picker";

  private OwnPickerService() {}

  /**
   * Whether the pool is picked by igw's own picker: it has no endpointPickerRef, or the ref names
   * {@code ownService} ({@code poolNamespace/ref.name}, or {@code ref.name} alone). A ref without a
   * name is not ours: it names nothing.
   *
   * @param ownService igw's picker Service as configured; null when there is none (then only
   *     ref-less pools are ours)
   */
  public static boolean picks(
      String ownService, String poolNamespace, InferencePoolSpec.EndpointPickerRef ref) {
    if (ref == null) {
      return true;
    }
    if (ref.name() == null || ownService == null) {
      return false;
    }
    return ref.name().equals(ownService) || (poolNamespace + "/" + ref.name()).equals(ownService);
  }
}
