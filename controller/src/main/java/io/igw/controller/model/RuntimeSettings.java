package io.igw.controller.model;

/**
 * Settings that come from how igw runs, not from resources: where NGINX lives, where the picker
 * listens. Made by {@link #builder()}, field by name, every field but the prefix and the njs folder
 * with its default.
 *
 * @param prefix NGINX prefix (absolute): conf/, logs/ and tmp/ live under it
 * @param jsModule path of ngx_http_js_module.so, or null when njs is built in
 * @param njsDir folder holding igw.js and its modules
 * @param pickerAddress host:port of the picker's HTTP pick API
 * @param user the user the workers run as when NGINX starts as root, else null
 * @param completionFeed host:port of the picker's syslog completion feed, or null for none
 * @param eppRequestHeaders request headers a foreign EPP may set (its ext_proc header mutations,
 *     relayed by the picker as {@code x-igw-set-<name>}): NGINX can only set names known when the
 *     config is rendered
 * @param pickerMaxConns picks in flight from NGINX to the picker at once, all workers together
 *     (upstream {@code max_conns} with a shared zone); open-source NGINX has no upstream queue, so
 *     a pick beyond it fails at once as "picker unavailable" (FailOpen / FailClose decide)
 * @param connectionsPerClient requests one client address may have in progress at once ({@code
 *     limit_conn}); 0: off
 * @param upstreamTimeoutMs how long NGINX waits on a model server between two reads or writes (its
 *     response header, then each chunk of a stream): past it, before a header, the next endpoint of
 *     the pick is tried (504 when none)
 * @param responsePhase how bridged pools' response phase runs: reported after the response, or
 *     relayed by the picker
 * @param tokenUsage whether NGINX reads the token usage of each answer for the completion feed (njs
 *     body filter on the model-server locations, {@code usage_*} fields in the completion record);
 *     only with a completion feed ({@link #usageFilter()})
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
    ResponsePhase responsePhase,
    boolean tokenUsage) {

  /**
   * None: a foreign EPP's request-header mutations reach the model server only for names the
   * operator allows ({@code --epp-request-header}); nothing is allowed by default.
   */
  public static final java.util.List<String> DEFAULT_EPP_REQUEST_HEADERS = java.util.List.of();

  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("^[A-Za-z0-9-]{1,64}$");

  public RuntimeSettings {
    if (pickerMaxConns < 1 || connectionsPerClient < 0) {
      throw new IllegalArgumentException(
          "picker max conns must be at least 1 and connections per client at least 0");
    }
    if (upstreamTimeoutMs < 1) {
      throw new IllegalArgumentException("upstream timeout must be at least 1 ms");
    }
    if (responsePhase == null) {
      throw new IllegalArgumentException(
          "the response phase must be given (ResponsePhase.REPORT by default)");
    }
    eppRequestHeaders = java.util.List.copyOf(eppRequestHeaders);
    for (String name : eppRequestHeaders) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "EPP request header name must be letters, digits and '-': " + name);
      }
    }
  }

  /**
   * A header a foreign EPP may set: {@code $igw_set_<variable>} (js_var), sent upstream as {@code
   * name}.
   */
  public record EppHeader(String name, String variable) {
    public String lowerName() {
      return name.toLowerCase(java.util.Locale.ROOT);
    }
  }

  public java.util.List<EppHeader> eppHeaders() {
    return eppRequestHeaders.stream()
        .map(n -> new EppHeader(n, n.toLowerCase(java.util.Locale.ROOT).replace('-', '_')))
        .toList();
  }

  public static final String DEFAULT_PICKER_ADDRESS = "127.0.0.1:9001";
  public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_WORKER_PROCESSES = 1;
  public static final long DEFAULT_BODY_LIMIT_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_PICK_TIMEOUT_MS = 5000;

  /** With the default body limit, at most 512 MiB of bodies in the picker at once. */
  public static final int DEFAULT_PICKER_MAX_CONNS = 128;

  public static final int DEFAULT_CONNECTIONS_PER_CLIENT = 64;

  /** Generous: a long prefill sends nothing until its first token. */
  public static final int DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

  /** The usage body filter and the completion record's usage fields are rendered. */
  public boolean usageFilter() {
    return tokenUsage && completionFeed != null;
  }

  public boolean limitsConnectionsPerClient() {
    return connectionsPerClient > 0;
  }

  /**
   * The user NGINX workers run as: root when igw runs as root (NGINX would pick "nobody"), else
   * none.
   */
  public static String workerUser() {
    return "root".equals(System.getProperty("user.name")) ? "root" : null;
  }

  public long pickConnectTimeoutMs() {
    return Math.min(1000, pickTimeoutMs);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some. */
  public Builder toBuilder() {
    return new Builder()
        .prefix(prefix)
        .jsModule(jsModule)
        .njsDir(njsDir)
        .pickerAddress(pickerAddress)
        .listenAddress(listenAddress)
        .bodyLimitBytes(bodyLimitBytes)
        .workerProcesses(workerProcesses)
        .user(user)
        .pickTimeoutMs(pickTimeoutMs)
        .completionFeed(completionFeed)
        .eppRequestHeaders(eppRequestHeaders)
        .pickerMaxConns(pickerMaxConns)
        .connectionsPerClient(connectionsPerClient)
        .upstreamTimeoutMs(upstreamTimeoutMs)
        .responsePhase(responsePhase)
        .tokenUsage(tokenUsage);
  }

  /** {@link RuntimeSettings} by field name; {@link #build()} checks them. */
  public static final class Builder {
    private String prefix;
    private String jsModule;
    private String njsDir;
    private String pickerAddress = DEFAULT_PICKER_ADDRESS;
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private long bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES;
    private int workerProcesses = DEFAULT_WORKER_PROCESSES;
    private String user;
    private int pickTimeoutMs = DEFAULT_PICK_TIMEOUT_MS;
    private String completionFeed;
    private java.util.List<String> eppRequestHeaders = DEFAULT_EPP_REQUEST_HEADERS;
    private int pickerMaxConns = DEFAULT_PICKER_MAX_CONNS;
    private int connectionsPerClient = DEFAULT_CONNECTIONS_PER_CLIENT;
    private int upstreamTimeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS;
    private boolean tokenUsage = true;
    private ResponsePhase responsePhase = ResponsePhase.REPORT;

    private Builder() {}

    /** Required: the NGINX prefix (absolute). */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Path of ngx_http_js_module.so; null (the default) when njs is built in. */
    public Builder jsModule(String jsModule) {
      this.jsModule = jsModule;
      return this;
    }

    /** Required: the folder holding igw.js and its modules. */
    public Builder njsDir(String njsDir) {
      this.njsDir = njsDir;
      return this;
    }

    public Builder pickerAddress(String pickerAddress) {
      this.pickerAddress = pickerAddress;
      return this;
    }

    public Builder listenAddress(String listenAddress) {
      this.listenAddress = listenAddress;
      return this;
    }

    public Builder bodyLimitBytes(long bodyLimitBytes) {
      this.bodyLimitBytes = bodyLimitBytes;
      return this;
    }

    public Builder workerProcesses(int workerProcesses) {
      this.workerProcesses = workerProcesses;
      return this;
    }

    /**
     * The user workers run as when NGINX starts as root ({@link #workerUser()}); null (the
     * default): none.
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder pickTimeoutMs(int pickTimeoutMs) {
      this.pickTimeoutMs = pickTimeoutMs;
      return this;
    }

    /** host:port of the picker's completion feed; null (the default): none. */
    public Builder completionFeed(String completionFeed) {
      this.completionFeed = completionFeed;
      return this;
    }

    public Builder eppRequestHeaders(java.util.List<String> eppRequestHeaders) {
      this.eppRequestHeaders = eppRequestHeaders;
      return this;
    }

    public Builder pickerMaxConns(int pickerMaxConns) {
      this.pickerMaxConns = pickerMaxConns;
      return this;
    }

    public Builder connectionsPerClient(int connectionsPerClient) {
      this.connectionsPerClient = connectionsPerClient;
      return this;
    }

    public Builder upstreamTimeoutMs(int upstreamTimeoutMs) {
      this.upstreamTimeoutMs = upstreamTimeoutMs;
      return this;
    }

    /** How bridged pools' response phase runs; {@link ResponsePhase#REPORT} by default. */
    public Builder responsePhase(ResponsePhase responsePhase) {
      this.responsePhase = responsePhase;
      return this;
    }

    public Builder tokenUsage(boolean tokenUsage) {
      this.tokenUsage = tokenUsage;
      return this;
    }

    public RuntimeSettings build() {
      if (prefix == null || njsDir == null || pickerAddress == null || listenAddress == null) {
        throw new IllegalStateException(
            "runtime settings need prefix, njsDir, pickerAddress and listenAddress; got "
                + "prefix="
                + prefix
                + " njsDir="
                + njsDir
                + " pickerAddress="
                + pickerAddress
                + " listenAddress="
                + listenAddress);
      }
      return new RuntimeSettings(
          prefix,
          jsModule,
          njsDir,
          pickerAddress,
          listenAddress,
          bodyLimitBytes,
          workerProcesses,
          user,
          pickTimeoutMs,
          completionFeed,
          eppRequestHeaders,
          pickerMaxConns,
          connectionsPerClient,
          upstreamTimeoutMs,
          responsePhase,
          tokenUsage);
    }
  }
}
