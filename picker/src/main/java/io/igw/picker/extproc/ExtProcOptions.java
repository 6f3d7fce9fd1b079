package io.igw.picker.extproc;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of both ext_proc frontends. Server: host and port (negative = off), the largest request
 * body, the pool it picks for, optional TLS (PEM certificate and key). Bridge: the name of igw's
 * own picker Service (pools whose endpointPickerRef names it are picked in-process), how EPP
 * connections are secured ({@link EppTls}; globally, and per pool), the pick deadline, how long a
 * stream stays open for the response phase and how long the EPP may take to answer it.
 */
public class ExtProcOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = -1;
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  public static final String DEFAULT_OWN_SERVICE = io.igw.api.OwnPickerService.DEFAULT_NAME;
  public static final EppTls DEFAULT_EPP_TLS = EppTls.VERIFY;
  public static final long DEFAULT_PICK_TIMEOUT_MS = 2000;
  public static final long DEFAULT_RESPONSE_PHASE_MS = 300_000;
  public static final long DEFAULT_SERVED_REPORT_TIMEOUT_MS = 2000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private String pool;
  private String certPath;
  private String keyPath;
  private String ownService = DEFAULT_OWN_SERVICE;
  private EppTls eppTls = DEFAULT_EPP_TLS;
  private final Set<String> insecurePools = new LinkedHashSet<>();
  private String eppTrustPath;
  private long pickTimeoutMs = DEFAULT_PICK_TIMEOUT_MS;
  private long responsePhaseMs = DEFAULT_RESPONSE_PHASE_MS;
  private long servedReportTimeoutMs = DEFAULT_SERVED_REPORT_TIMEOUT_MS;

  public ExtProcOptions() {}

  public ExtProcOptions(JsonObject json) {
    setHost(OptionsJson.string(json, "host", host));
    setPort(OptionsJson.integer(json, "port", port));
    setMaxBodyBytes(OptionsJson.longInteger(json, "maxBodyBytes", maxBodyBytes));
    setPool(OptionsJson.string(json, "pool", pool));
    setCertPath(OptionsJson.string(json, "certPath", certPath));
    setKeyPath(OptionsJson.string(json, "keyPath", keyPath));
    setOwnService(OptionsJson.string(json, "ownService", ownService));
    String tls = OptionsJson.string(json, "eppTls", eppTls.label());
    try {
      setEppTls(EppTls.parse(tls));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "eppTls must be verify, insecure-skip-verify or plaintext, got \"" + tls + "\"", e);
    }
    OptionsJson.strings(json, "insecurePools", List.of()).forEach(this::addInsecurePool);
    setEppTrustPath(OptionsJson.string(json, "eppTrustPath", eppTrustPath));
    setPickTimeoutMs(OptionsJson.longInteger(json, "pickTimeoutMs", pickTimeoutMs));
    setResponsePhaseMs(OptionsJson.longInteger(json, "responsePhaseMs", responsePhaseMs));
    setServedReportTimeoutMs(
        OptionsJson.longInteger(json, "servedReportTimeoutMs", servedReportTimeoutMs));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("host", host).put("port", port).put("maxBodyBytes", maxBodyBytes);
    putIfSet(json, "pool", pool);
    putIfSet(json, "certPath", certPath);
    putIfSet(json, "keyPath", keyPath);
    json.put("ownService", ownService)
        .put("eppTls", eppTls.label())
        .put("insecurePools", new JsonArray(List.copyOf(insecurePools)));
    putIfSet(json, "eppTrustPath", eppTrustPath);
    return json.put("pickTimeoutMs", pickTimeoutMs)
        .put("responsePhaseMs", responsePhaseMs)
        .put("servedReportTimeoutMs", servedReportTimeoutMs);
  }

  private static void putIfSet(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  /** Address the ext_proc gRPC server listens on (the picker's {@code --host}). */
  public String getHost() {
    return host;
  }

  public ExtProcOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host must be set");
    return this;
  }

  /**
   * Largest request body the server accepts, larger is an ImmediateResponse 413 (the picker's
   * --max-body-bytes).
   */
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public ExtProcOptions setMaxBodyBytes(long maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /**
   * Port of the ext_proc gRPC server (with gRPC health); 0 picks a free one; negative: no server.
   */
  public int getPort() {
    return port;
  }

  public ExtProcOptions setPort(int port) {
    if (port > 65535) {
      throw new IllegalArgumentException("port must be at most 65535 (negative: off), got " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The pool ({@code namespace/name}) the server picks for; null: the only pool the picker knows.
   */
  public String getPool() {
    return pool;
  }

  public ExtProcOptions setPool(String pool) {
    this.pool = pool;
    return this;
  }

  public String getCertPath() {
    return certPath;
  }

  /** PEM certificate of the server; with {@link #setKeyPath} it serves TLS (HTTP/2 over ALPN). */
  public ExtProcOptions setCertPath(String certPath) {
    this.certPath = certPath;
    return this;
  }

  public String getKeyPath() {
    return keyPath;
  }

  public ExtProcOptions setKeyPath(String keyPath) {
    this.keyPath = keyPath;
    return this;
  }

  public String getOwnService() {
    return ownService;
  }

  /**
   * igw's own picker Service name: a pool whose endpointPickerRef names it is picked in-process.
   */
  public ExtProcOptions setOwnService(String ownService) {
    this.ownService = Objects.requireNonNull(ownService, "ownService must be set");
    return this;
  }

  public EppTls getEppTls() {
    return eppTls;
  }

  /**
   * How the bridge secures its channels to foreign EPPs (default: TLS with certificate
   * verification).
   */
  public ExtProcOptions setEppTls(EppTls eppTls) {
    this.eppTls = Objects.requireNonNull(eppTls, "eppTls must be set");
    return this;
  }

  public Set<String> getInsecurePools() {
    return Set.copyOf(insecurePools);
  }

  /**
   * Pools ({@code namespace/name}) whose EPP speaks TLS with a certificate the bridge must not
   * verify (a self-signed test EPP, like the conformance suite's): an explicit opt-out, one pool at
   * a time.
   */
  public ExtProcOptions addInsecurePool(String pool) {
    insecurePools.add(pool);
    return this;
  }

  public String getEppTrustPath() {
    return eppTrustPath;
  }

  /** PEM CA bundle the bridge trusts for EPP certificates; null: the JVM's trust store. */
  public ExtProcOptions setEppTrustPath(String eppTrustPath) {
    this.eppTrustPath = eppTrustPath;
    return this;
  }

  public long getPickTimeoutMs() {
    return pickTimeoutMs;
  }

  /** Deadline of a bridged pick, from the request to the EPP's full answer. */
  public ExtProcOptions setPickTimeoutMs(long pickTimeoutMs) {
    if (pickTimeoutMs < 1) {
      throw new IllegalArgumentException("pickTimeoutMs must be at least 1, got " + pickTimeoutMs);
    }
    this.pickTimeoutMs = pickTimeoutMs;
    return this;
  }

  public long getResponsePhaseMs() {
    return responsePhaseMs;
  }

  /** How long a bridged stream waits for the request's completion record before it is cancelled. */
  public ExtProcOptions setResponsePhaseMs(long responsePhaseMs) {
    if (responsePhaseMs < 1) {
      throw new IllegalArgumentException(
          "responsePhaseMs must be at least 1, got " + responsePhaseMs);
    }
    this.responsePhaseMs = responsePhaseMs;
    return this;
  }

  public long getServedReportTimeoutMs() {
    return servedReportTimeoutMs;
  }

  /**
   * How long the EPP may take to answer the response headers: the relay holds the client's response
   * headers that long at most (then they pass unmodified); in report mode, how long its answer is
   * waited for, to be logged.
   */
  public ExtProcOptions setServedReportTimeoutMs(long servedReportTimeoutMs) {
    if (servedReportTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "servedReportTimeoutMs must be at least 1, got " + servedReportTimeoutMs);
    }
    this.servedReportTimeoutMs = servedReportTimeoutMs;
    return this;
  }

  /** The TLS mode of one pool's EPP. */
  public EppTls eppTlsFor(String pool) {
    return insecurePools.contains(pool) ? EppTls.INSECURE_SKIP_VERIFY : eppTls;
  }
}
