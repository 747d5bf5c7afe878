package io.luthien.gateway.api;

import io.luthien.canonical.Canonical;
import io.luthien.gateway.error.AnthropicErrors;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.stream.ClientStream;
import io.luthien.gateway.translate.AnthropicEvent;
import io.luthien.gateway.translate.AnthropicRequests;
import io.luthien.gateway.translate.AnthropicResponses;
import io.luthien.gateway.translate.AnthropicStreamEncoder;
import io.luthien.shared.Fields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), translated to and from the canonical shape.
 */
public final class AnthropicClientApi implements ClientApi {

  public static final String PATH = "/v1/messages";
  public static final String COUNT_TOKENS_PATH = PATH + "/count_tokens";
  public static final AnthropicClientApi INSTANCE = new AnthropicClientApi();

  private AnthropicClientApi() {}

  @Override
  public String name() {
    return Fields.API_ANTHROPIC;
  }

  @Override
  public void validate(JsonObject request) {
    AnthropicRequests.validate(request);
    ChatRequestValidator.validateStream(request);
  }

  /**
   * A stream asks for usage: Anthropic's message_delta always carries it, an OpenAI backend only
   * when asked. The client's {@code anthropic-beta} and {@code anthropic-version} headers and its
   * query string travel with the request, for an Anthropic backend.
   */
  @Override
  public JsonObject toCanonical(JsonObject clientRequest, HttpServerRequest http) {
    JsonObject canonical = AnthropicRequests.toCanonical(clientRequest);
    JsonObject headers = AnthropicHeaders.carried(http.headers());
    if (!headers.isEmpty()) {
      canonical.put(Canonical.HEADERS, headers);
    }
    if (http.query() != null && !http.query().isEmpty()) {
      canonical.put(Canonical.QUERY, http.query());
    }
    return withStreamUsage(canonical);
  }

  @Override
  public JsonObject toCanonical(JsonObject clientRequest) {
    return withStreamUsage(AnthropicRequests.toCanonical(clientRequest));
  }

  private static JsonObject withStreamUsage(JsonObject canonical) {
    if (canonical.getBoolean("stream", false)) {
      canonical.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return canonical;
  }

  @Override
  public JsonObject clientRequest(JsonObject canonicalRequest) {
    return AnthropicRequests.fromCanonical(canonicalRequest);
  }

  @Override
  public JsonObject clientResponse(JsonObject canonicalResponse, String requestModel) {
    return AnthropicResponses.fromCanonical(canonicalResponse, requestModel);
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return AnthropicErrors.body(error);
  }

  @Override
  public ClientStream newStream() {
    AnthropicStreamEncoder encoder = new AnthropicStreamEncoder();
    return new ClientStream() {
      @Override
      public Buffer chunk(JsonObject canonicalChunk) {
        return sse(encoder.onChunk(canonicalChunk));
      }

      @Override
      public Buffer end() {
        Buffer events = sse(encoder.finish());
        return events == null ? Buffer.buffer() : events;
      }

      @Override
      public Buffer error(ApiError error) {
        return Buffer.buffer(
            "event: error\ndata: " + AnthropicErrors.body(error).encode() + "\n\n");
      }
    };
  }

  private static Buffer sse(List<AnthropicEvent> events) {
    if (events.isEmpty()) {
      return null;
    }
    Buffer buffer = Buffer.buffer();
    events.forEach(event -> buffer.appendString(event.toSse()));
    return buffer;
  }
}
