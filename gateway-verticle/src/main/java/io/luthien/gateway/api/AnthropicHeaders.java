package io.luthien.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The headers of an Anthropic client that belong to its request's meaning and go to an Anthropic
 * backend with it: the API version it was written against and the betas it opts into. Never sent to
 * an OpenAI backend.
 */
public final class AnthropicHeaders {

  public static final String VERSION = "anthropic-version";
  static final String BETA = "anthropic-beta";

  /**
   * What an Anthropic backend gets when the client sends no {@code anthropic-version} (an OpenAI
   * client).
   */
  public static final String DEFAULT_VERSION = "2023-06-01";

  private static final List<String> CARRIED = List.of(VERSION, BETA);

  private AnthropicHeaders() {}

  /** {@code {name: value}} of the carried headers the client sent, blank ones left out. */
  static JsonObject carried(MultiMap headers) {
    JsonObject carried = new JsonObject();
    for (String name : CARRIED) {
      String value = headers.get(name);
      if (value != null && !value.isBlank()) {
        carried.put(name, value);
      }
    }
    return carried;
  }
}
