package io.igw.picker.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one class's logger writes while this is open: {@code try (CapturedLog log =
 * CapturedLog.of(X.class))}.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(Logger logger) {
    this.logger = logger;
    logger.addHandler(handler);
  }

  public static CapturedLog of(Class<?> type) {
    return new CapturedLog(Logger.getLogger(type.getName()));
  }

  public List<LogRecord> records() {
    return records;
  }

  public List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
