package io.igw.controller.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.igw.controller.model.NginxConfig;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders {@code nginx.conf} from the templates of a folder (the repository's nginx-conf/). */
public final class NginxConfigRenderer {
  public static final String MAIN_TEMPLATE = "nginx.conf.mustache";
  public static final String CONF_PATH = "conf/nginx.conf";

  private final Mustache main;

  public NginxConfigRenderer(Path templateDir) {
    if (!Files.isRegularFile(templateDir.resolve(MAIN_TEMPLATE))) {
      throw new IllegalArgumentException(
          "no " + MAIN_TEMPLATE + " in " + templateDir.toAbsolutePath());
    }
    // No HTML escaping: values from resources reach the template as nginx.conf text already
    // (ConfigView, NginxText);
    // the rest are settings the controller checked.
    DefaultMustacheFactory factory =
        new DefaultMustacheFactory(templateDir.toFile()) {
          @Override
          public void encode(String value, Writer writer) {
            try {
              writer.write(value);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    this.main = factory.compile(MAIN_TEMPLATE);
  }

  /** nginx.conf first, then the certificate files it refers to. */
  public List<ConfigFile> render(NginxConfig config) {
    StringWriter out = new StringWriter();
    main.execute(out, ConfigView.of(config));
    List<ConfigFile> files = new ArrayList<>();
    files.add(new ConfigFile(CONF_PATH, out.toString().getBytes(StandardCharsets.UTF_8)));
    for (NginxConfig.Certificate cert : config.certificates()) {
      files.add(
          new ConfigFile(
              "conf/" + cert.certPath(),
              cert.certificatePem().getBytes(StandardCharsets.US_ASCII)));
      files.add(
          new ConfigFile(
              "conf/" + cert.keyPath(), cert.keyPem().getBytes(StandardCharsets.US_ASCII)));
    }
    return files;
  }
}
