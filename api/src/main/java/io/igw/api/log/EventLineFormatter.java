package io.igw.api.log;

import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * java.util.logging in igw's dialect ({@link EventLine}), for the libraries a process runs (Vert.x,
 * fabric8 through slf4j-jdk14) and for igw's own records: a message that is already {@code
 * event=...} is kept, any other becomes {@code event=library_log logger=<name> message=<text>}. An
 * error thrown with a SEVERE record (unexpected) is followed by its trace, one escaped line per
 * frame; with a lower level (expected) it is one more field, {@code error=}.
 */
public final class EventLineFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    String message = formatMessage(record);
    StringBuilder line =
        new StringBuilder(128)
            .append(Instant.ofEpochMilli(record.getMillis()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(' ');
    if (message != null && message.startsWith("event=")) {
      line.append(LogText.controlsEscaped(message));
    } else {
      line.append(
          EventLine.fields("library_log", "logger", record.getLoggerName(), "message", message));
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        line.append(EventLine.trace(thrown));
      } else {
        line.append(" error=").append(LogText.value(EventLine.describe(thrown)));
      }
    }
    return line.append('\n').toString();
  }

  /**
   * Routes every java.util.logging record of this JVM at {@code level} and above to {@code out}, in
   * the dialect.
   */
  public static void install(OutputStream out, Level level) {
    LogManager.getLogManager().reset();
    Handler handler =
        new StreamHandler(out, new EventLineFormatter()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    try {
      handler.setEncoding("UTF-8");
    } catch (UnsupportedEncodingException impossible) {
      throw new IllegalStateException(impossible);
    }
    handler.setLevel(level);
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    root.addHandler(handler);
  }
}
