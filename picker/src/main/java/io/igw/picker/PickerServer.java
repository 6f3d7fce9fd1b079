package io.igw.picker;

import io.igw.picker.impl.PickerServerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A running picker: pick API, datastore and metrics collector. */
public interface PickerServer {

  /** Loads the pools, starts the collector and listens; fails when the manifests cannot be read. */
  static Future<PickerServer> start(Vertx vertx, PickerOptions options) {
    return PickerServerImpl.start(vertx, options);
  }

  /** The port the pick API listens on. */
  int port();

  /** The UDP port of the syslog completion feed, or -1 when it is off. */
  int completionFeedPort();

  /** The port of the ext_proc gRPC server (standard EPP), or -1 when it is off. */
  default int extProcPort() {
    return -1;
  }

  /** The port of the response relay, or -1 when it is off. */
  default int relayPort() {
    return -1;
  }

  /** Stops listening and polling. */
  Future<Void> close();
}
