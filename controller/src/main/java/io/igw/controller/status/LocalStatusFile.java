package io.igw.controller.status;

import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.render.ConfigFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Local mode's status: one YAML file listing every resource's status, rewritten only when it
 * changed.
 */
public final class LocalStatusFile implements StatusSink {
  public static final String PATH = "status.yaml";

  private final NginxPrefix dir;
  private final YAMLMapper yaml = new YAMLMapper();

  public LocalStatusFile(NginxPrefix dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return dir.root().resolve(PATH).toString();
  }

  /**
   * @return 1 when the file changed, else 0
   */
  @Override
  public int publish(List<ResourceStatus> statuses) {
    List<Map<String, Object>> docs =
        statuses.stream()
            .map(
                s -> {
                  Map<String, Object> doc = new LinkedHashMap<>();
                  doc.put("apiVersion", s.apiVersion());
                  doc.put("kind", s.kind());
                  doc.put("name", s.key());
                  doc.put("status", s.status());
                  return doc;
                })
            .toList();
    byte[] content =
        yaml.writeValueAsString(Map.of("resources", docs)).getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(content, dir.read(PATH))) {
      return 0;
    }
    dir.write(new ConfigFile(PATH, content));
    return 1;
  }
}
