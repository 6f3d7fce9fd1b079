package io.igw.picker.extproc;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * What a foreign EPP answered a pick: either endpoints ({@code status} 200) with the request-header
 * mutations it asked for and the rewritten body (null when unchanged), or an ImmediateResponse
 * ({@code status} and body).
 */
public record BridgeAnswer(
    int status, List<String> endpoints, Map<String, String> setHeaders, Buffer body) {
  public BridgeAnswer {
    endpoints = List.copyOf(endpoints);
    setHeaders = Map.copyOf(setHeaders);
  }

  static BridgeAnswer picked(
      List<String> endpoints, Map<String, String> setHeaders, Buffer rewrittenBody) {
    return new BridgeAnswer(200, endpoints, setHeaders, rewrittenBody);
  }

  static BridgeAnswer refused(int status, Buffer body) {
    return new BridgeAnswer(status, List.of(), Map.of(), body);
  }

  public boolean picked() {
    return status == 200;
  }
}
