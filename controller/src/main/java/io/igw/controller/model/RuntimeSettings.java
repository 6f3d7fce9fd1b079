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
 * @param eppRequestHeaders request headers a foreign EPP may set (its ext_proc header mutations, relayed by the
 *     picker as {@code x-igw-set-<name>}): NGINX can only set names known when the config is rendered
 * @param pickerMaxConns picks in flight from NGINX to the picker at once, all workers together (upstream
 *     {@code max_conns} with a shared zone); open-source NGINX has no upstream queue, so a pick beyond it fails at once
 *     as "picker unavailable" (FailOpen / FailClose decide)
 * @param connectionsPerClient requests one client address may have in progress at once ({@code limit_conn}); 0: off
 * @param upstreamTimeoutMs how long NGINX waits on a model server between two reads or writes (its response header,
 *     then each chunk of a stream): past it, before a header, the next endpoint of the pick is tried (504 when none)
 * @param responsePhase how bridged pools' response phase runs: reported after the response, or relayed by the picker
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
    String completionFeed,
    java.util.List<String> eppRequestHeaders,
    int pickerMaxConns,
    int connectionsPerClient,
    int upstreamTimeoutMs,
    ResponsePhase responsePhase) {

  /**
   * None: a foreign EPP's request-header mutations reach the model server only for names the operator allows
   * ({@code --epp-request-header}); nothing is allowed by default.
   */
  public static final java.util.List<String> DEFAULT_EPP_REQUEST_HEADERS = java.util.List.of();
  private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("^[A-Za-z0-9-]{1,64}$");

  public RuntimeSettings {
    if (pickerMaxConns < 1 || connectionsPerClient < 0) {
      throw new IllegalArgumentException("picker max conns must be at least 1 and connections per client at least 0");
    }
    if (upstreamTimeoutMs < 1) {
      throw new IllegalArgumentException("upstream timeout must be at least 1 ms");
    }
    if (responsePhase == null) {
      throw new IllegalArgumentException("the response phase must be given (ResponsePhase.REPORT by default)");
    }
    eppRequestHeaders = java.util.List.copyOf(eppRequestHeaders);
    for (String name : eppRequestHeaders) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("EPP request header name must be letters, digits and '-': " + name);
      }
    }
  }

  /** Settings with the default picker and per-client connection limits and upstream timeout. */
  public RuntimeSettings(String prefix, String jsModule, String njsDir, String pickerAddress, String listenAddress,
      long bodyLimitBytes, int workerProcesses, String user, int pickTimeoutMs, String completionFeed,
      java.util.List<String> eppRequestHeaders) {
    this(prefix, jsModule, njsDir, pickerAddress, listenAddress, bodyLimitBytes, workerProcesses, user, pickTimeoutMs,
        completionFeed, eppRequestHeaders, DEFAULT_PICKER_MAX_CONNS, DEFAULT_CONNECTIONS_PER_CLIENT,
        DEFAULT_UPSTREAM_TIMEOUT_MS, ResponsePhase.REPORT);
  }

  /** Settings with the default EPP request headers (none). */
  public RuntimeSettings(String prefix, String jsModule, String njsDir, String pickerAddress, String listenAddress,
      long bodyLimitBytes, int workerProcesses, String user, int pickTimeoutMs, String completionFeed) {
    this(prefix, jsModule, njsDir, pickerAddress, listenAddress, bodyLimitBytes, workerProcesses, user, pickTimeoutMs,
        completionFeed, DEFAULT_EPP_REQUEST_HEADERS);
  }

  /** A header a foreign EPP may set: {@code $igw_set_<variable>} (js_var), sent upstream as {@code name}. */
  public record EppHeader(String name, String variable) {
    public String lowerName() {
      return name.toLowerCase(java.util.Locale.ROOT);
    }
  }

  public java.util.List<EppHeader> eppHeaders() {
    return eppRequestHeaders.stream()
        .map(n -> new EppHeader(n, n.toLowerCase(java.util.Locale.ROOT).replace('-', '_'))).toList();
  }

  public static final long DEFAULT_BODY_LIMIT_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_PICK_TIMEOUT_MS = 5000;
  /** With the default body limit, at most 512 MiB of bodies in the picker at once. */
  public static final int DEFAULT_PICKER_MAX_CONNS = 128;
  public static final int DEFAULT_CONNECTIONS_PER_CLIENT = 64;
  /** Generous: a long prefill sends nothing until its first token. */
  public static final int DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

  public RuntimeSettings withLimits(int pickerMaxConns, int connectionsPerClient) {
    return new RuntimeSettings(prefix, jsModule, njsDir, pickerAddress, listenAddress, bodyLimitBytes, workerProcesses,
        user, pickTimeoutMs, completionFeed, eppRequestHeaders, pickerMaxConns, connectionsPerClient, upstreamTimeoutMs,
        responsePhase);
  }

  public RuntimeSettings withUpstreamTimeout(int timeoutMs) {
    return new RuntimeSettings(prefix, jsModule, njsDir, pickerAddress, listenAddress, bodyLimitBytes, workerProcesses,
        user, pickTimeoutMs, completionFeed, eppRequestHeaders, pickerMaxConns, connectionsPerClient, timeoutMs,
        responsePhase);
  }

  public RuntimeSettings withResponsePhase(ResponsePhase phase) {
    return new RuntimeSettings(prefix, jsModule, njsDir, pickerAddress, listenAddress, bodyLimitBytes, workerProcesses,
        user, pickTimeoutMs, completionFeed, eppRequestHeaders, pickerMaxConns, connectionsPerClient, upstreamTimeoutMs,
        phase);
  }

  public boolean limitsConnectionsPerClient() {
    return connectionsPerClient > 0;
  }

  /** The user NGINX workers run as: root when igw runs as root (NGINX would pick "nobody"), else none. */
  public static String workerUser() {
    return "root".equals(System.getProperty("user.name")) ? "root" : null;
  }

  public long pickConnectTimeoutMs() {
    return Math.min(1000, pickTimeoutMs);
  }
}
