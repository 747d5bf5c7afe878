package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.stream.ClientStream;
import io.luthien.gateway.translate.OpenAiChunks;
import io.luthien.gateway.translate.OpenAiResponses;
import io.luthien.shared.Fields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's chat completions: the canonical shape itself, less the Anthropic extension keys on the
 * way out.
 */
public final class OpenAiClientApi implements ClientApi {

  public static final OpenAiClientApi INSTANCE = new OpenAiClientApi();
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private OpenAiClientApi() {}

  @Override
  public String name() {
    return Fields.API_OPENAI;
  }

  @Override
  public void validate(JsonObject request) {
    ChatRequestValidator.validate(request);
  }

  @Override
  public JsonObject toCanonical(JsonObject clientRequest, HttpServerRequest http) {
    return toCanonical(clientRequest);
  }

  @Override
  public JsonObject toCanonical(JsonObject clientRequest) {
    return clientRequest;
  }

  @Override
  public JsonObject clientRequest(JsonObject canonicalRequest) {
    return canonicalRequest;
  }

  @Override
  public JsonObject clientResponse(JsonObject canonicalResponse, String requestModel) {
    return OpenAiResponses.forOpenAiClient(canonicalResponse);
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return error.toOpenAiJson();
  }

  @Override
  public ClientStream newStream() {
    return newStream(true);
  }

  /**
   * Usage only when the client asked for it ({@code stream_options.include_usage}), as OpenAI does:
   * an Anthropic backend always reports it.
   */
  @Override
  public ClientStream newStream(JsonObject request) {
    return newStream(
        request.getValue("stream_options") instanceof JsonObject options
            && Boolean.TRUE.equals(options.getValue("include_usage")));
  }

  private static ClientStream newStream(boolean includeUsage) {
    return new ClientStream() {
      @Override
      public Buffer chunk(JsonObject canonicalChunk) {
        JsonObject chunk = OpenAiChunks.forOpenAiClient(canonicalChunk, includeUsage);
        return chunk == null ? null : Buffer.buffer("data: " + chunk.encode() + "\n\n");
      }

      @Override
      public Buffer end() {
        return DONE;
      }

      @Override
      public Buffer error(ApiError error) {
        return Buffer.buffer("data: " + error.toOpenAiJson().encode() + "\n\n");
      }
    };
  }
}
