package io.igw.bench.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders the NGINX configs the bench owns: the baselines (round-robin, least_conn, direct) and a
 * static backend.
 */
final class BaselineNginxConf {
  private BaselineNginxConf() {}

  static String render(LiveSettings s, String prefix, String listen, long bodyLimit, boolean root)
      throws IOException {
    String template = template("baseline-nginx.conf");
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < s.servers(); i++) {
      servers.append("        server ").append(s.serverAddress(i)).append(";\n");
    }
    Map<String, String> values =
        Map.of(
            "user",
            root ? "user root;" : "",
            "workers",
            Integer.toString(s.nginxWorkers()),
            "prefix",
            prefix,
            "bodyLimit",
            Long.toString(bodyLimit),
            "servers",
            servers.toString().stripTrailing(),
            "listen",
            listen,
            "roundRobinPort",
            Integer.toString(s.roundRobinPort()),
            "leastConnPort",
            Integer.toString(s.leastConnPort()),
            "directPort",
            Integer.toString(s.directPort()),
            "firstServer",
            s.serverAddress(0));
    return fill(template, values);
  }

  /**
   * The zero-latency backend for server 0 and the floor's stand-in picker on {@code floorPicker}
   * (host:port; the overhead test).
   */
  static String renderStaticBackend(
      LiveSettings s, String prefix, String model, String floorPicker, boolean root)
      throws IOException {
    return fill(
        template("static-backend.conf"),
        Map.of(
            "user",
            root ? "user root;" : "",
            "prefix",
            prefix,
            "listen",
            s.serverAddress(0),
            "model",
            model,
            "floorPicker",
            floorPicker));
  }

  private static String template(String name) throws IOException {
    try (InputStream in = BaselineNginxConf.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace("${" + v.getKey() + "}", v.getValue());
    }
    if (out.contains("${")) {
      throw new IllegalStateException(
          "baseline-nginx.conf: unfilled placeholder near "
              + out.substring(out.indexOf("${"), Math.min(out.length(), out.indexOf("${") + 30)));
    }
    return out;
  }
}
