package io.igw.bench.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders the NGINX configs the bench owns: the baselines (round-robin, least_conn, direct) and a
 * static backend.
 */
final class BaselineNginxConf {
  /** The static backend's streamed completion handler (njs), a resource beside the templates. */
  private static final String STATIC_STREAM_JS = "static-stream.js";

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
   * (host:port; the overhead test). Its streamed completion is njs ({@link #STATIC_STREAM_JS} in
   * {@code prefix}/conf: {@link #writeStaticBackend}), loaded from {@code jsModule} (null: njs
   * built in).
   */
  static String renderStaticBackend(
      LiveSettings s,
      String prefix,
      String model,
      String floorPicker,
      String jsModule,
      boolean root)
      throws IOException {
    return fill(
        template("static-backend.conf"),
        Map.of(
            "loadModule",
            jsModule == null ? "" : "load_module " + jsModule + ";",
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

  /**
   * The static backend's prefix under {@code prefix}: conf/nginx.conf ({@link
   * #renderStaticBackend}) and its njs beside it.
   */
  static void writeStaticBackend(
      Path prefix, LiveSettings s, String model, String floorPicker, String jsModule, boolean root)
      throws IOException {
    for (String dir : List.of("conf", "logs", "tmp")) {
      Files.createDirectories(prefix.resolve(dir));
    }
    Files.writeString(
        prefix.resolve("conf/nginx.conf"),
        renderStaticBackend(
            s, prefix.toAbsolutePath().toString(), model, floorPicker, jsModule, root));
    Files.writeString(prefix.resolve("conf").resolve(STATIC_STREAM_JS), template(STATIC_STREAM_JS));
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
