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

/** Renders {@code nginx.conf} from the templates of a folder (the repository's nginx-conf/). */
public final class NginxConfigRenderer {
  public static final String MAIN_TEMPLATE = "nginx.conf.mustache";
  public static final String CONF_PATH = "conf/nginx.conf";

  private final Mustache main;

  public NginxConfigRenderer(Path templateDir) {
    if (!Files.isRegularFile(templateDir.resolve(MAIN_TEMPLATE))) {
      throw new IllegalArgumentException("no " + MAIN_TEMPLATE + " in " + templateDir.toAbsolutePath());
    }
    // No HTML escaping: every value was checked by ConfigValueValidator before it reached the model.
    DefaultMustacheFactory factory = new DefaultMustacheFactory(templateDir.toFile()) {
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

  public ConfigFile render(NginxConfig config) {
    StringWriter out = new StringWriter();
    main.execute(out, config);
    return new ConfigFile(CONF_PATH, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
