package io.igw.controller.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls back once a burst of changes in a folder has settled (debounce), and every {@code pollMs}
 * anyway so a missed file event never leaves the config stale. Callbacks run one at a time on one
 * thread.
 */
public final class ManifestFolderWatcher implements AutoCloseable {
  private final Path folder;
  private final long debounceMs;
  private final long pollMs;
  private final Runnable onChange;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "igw-reconcile");
            t.setDaemon(true);
            return t;
          });
  private final WatchService watch;
  private ScheduledFuture<?> pending;

  public ManifestFolderWatcher(Path folder, long debounceMs, long pollMs, Runnable onChange)
      throws IOException {
    this.folder = folder;
    this.debounceMs = debounceMs;
    this.pollMs = pollMs;
    this.onChange = onChange;
    this.watch = FileSystems.getDefault().newWatchService();
    folder.register(
        watch,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
  }

  public void start() {
    executor.scheduleWithFixedDelay(onChange, 0, pollMs, TimeUnit.MILLISECONDS);
    Thread watcher = new Thread(this::watchLoop, "igw-folder-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        key.pollEvents();
        key.reset();
        schedule();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void schedule() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(onChange, debounceMs, TimeUnit.MILLISECONDS);
  }

  public Path folder() {
    return folder;
  }

  @Override
  public void close() throws IOException {
    watch.close();
    executor.shutdownNow();
  }
}
