package io.igw.controller.source;

import io.igw.api.manifest.ManifestReader;
import java.nio.file.Path;

/** Local mode: the resources are the manifests of one folder. */
public final class ManifestFolderSource {
  private final Path folder;
  private final ManifestReader reader = new ManifestReader();

  public ManifestFolderSource(Path folder) {
    this.folder = folder;
  }

  public ClusterSnapshot read() {
    return ClusterSnapshot.of(reader.readFolder(folder));
  }
}
