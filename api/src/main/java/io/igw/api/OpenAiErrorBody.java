package io.igw.api;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI error body every igw answer uses, {@code
 * {"error":{"message":…,"type":…,"param":null,"code":…}}}: the one place Java writes it (the
 * picker's answers, and the gateway's own answers the controller renders into nginx.conf). njs
 * writes the same shape in njs/openai_error.js.
 */
public final class OpenAiErrorBody {
  public static final String INVALID_REQUEST_ERROR = "invalid_request_error";
  public static final String SERVER_ERROR = "server_error";

  /**
   * What the gateway's own 429s (NGINX, njs) call their type; the picker's shedding says
   * "rate_limit_error".
   */
  public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OpenAiErrorBody() {}

  /** The body as JSON text; a null {@code code} is JSON null. */
  public static String json(String type, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .putNull("param")
        .put("code", code);
    return JSON.writeValueAsString(body);
  }
}
