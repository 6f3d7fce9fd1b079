package io.igw.controller.model;

/**
 * Settings that come from how igw runs, not from resources: where NGINX lives, where the picker listens.
 *
 * @param prefix NGINX prefix (absolute): conf/, logs/ and tmp/ live under it
 * @param jsModule path of ngx_http_js_module.so, or null when njs is built in
 * @param njsDir folder holding igw.js and its modules
 * @param pickerAddress host:port of the picker's HTTP pick API
 * @param user the user the workers run as when NGINX starts as root, else null
 * @param completionFeed host:port of the picker's syslog completion feed, or null for none
 */
public record RuntimeSettings(
    String prefix,
    String jsModule,
    String njsDir,
    String pickerAddress,
    String listenAddress,
    long bodyLimitBytes,
    int workerProcesses,
    String user,
    int pickTimeoutMs,
    String completionFeed) {

  public static final long DEFAULT_BODY_LIMIT_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_PICK_TIMEOUT_MS = 5000;

  public long pickConnectTimeoutMs() {
    return Math.min(1000, pickTimeoutMs);
  }
}
