package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.stream.ClientStream;
import io.luthien.gateway.translate.responses.ResponseIds;
import io.luthien.gateway.translate.responses.ResponsesOutput;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.gateway.translate.responses.ResponsesStreamEncoder;
import io.luthien.shared.Fields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}), translated to and from the canonical shape.
 * One instance per call: the response's id derives from the call's id ({@link ResponseIds}), and a
 * response echoes the settings of the request it answers, which this instance keeps once it has
 * read the request. Errors are OpenAI's {@code {"error": {...}}}; mid-stream, an {@code error}
 * event then {@code response.failed}.
 */
public final class ResponsesClientApi implements ClientApi {

  public static final String PATH = "/v1/responses";

  private final ResponseIds ids;
  private final List<JsonObject> history;
  private JsonObject clientRequest = new JsonObject();
  private JsonObject canonicalRequest;

  /**
   * @param history the canonical conversation that {@code previous_response_id} names, empty
   *     without one
   */
  public ResponsesClientApi(String callId, List<JsonObject> history) {
    this.ids = new ResponseIds(callId);
    this.history = history;
  }

  @Override
  public String name() {
    return Fields.API_OPENAI_RESPONSES;
  }

  @Override
  public void validate(JsonObject request) {
    ResponsesRequests.validate(request);
  }

  @Override
  public JsonObject toCanonical(JsonObject request, HttpServerRequest http) {
    return toCanonical(request);
  }

  @Override
  public JsonObject toCanonical(JsonObject request) {
    clientRequest = request;
    JsonObject canonical = ResponsesRequests.toCanonical(request, history);
    canonicalRequest = canonical.copy();
    return canonical;
  }

  /**
   * The client's own request when the policy left it as it was and it continues no earlier
   * response, so that an unchanged request is recorded unchanged; else the canonical request in
   * Responses form, with a continued conversation written out in {@code input} (what {@code
   * previous_response_id} is rebuilt from).
   */
  @Override
  public JsonObject clientRequest(JsonObject finalRequest) {
    if (history.isEmpty() && finalRequest.equals(canonicalRequest)) {
      return clientRequest;
    }
    return ResponsesRequests.fromCanonical(finalRequest, clientRequest);
  }

  @Override
  public JsonObject clientResponse(JsonObject canonicalResponse, String requestModel) {
    return ResponsesOutput.fromCanonical(canonicalResponse, ids, clientRequest);
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return error.toOpenAiJson();
  }

  @Override
  public ClientStream newStream() {
    ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(ids, clientRequest);
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
        return sse(encoder.failed(error));
      }
    };
  }

  static Buffer sse(List<JsonObject> events) {
    if (events.isEmpty()) {
      return null;
    }
    Buffer buffer = Buffer.buffer();
    for (JsonObject event : events) {
      buffer
          .appendString("event: ")
          .appendString(event.getString("type"))
          .appendString("\ndata: ")
          .appendString(event.encode())
          .appendString("\n\n");
    }
    return buffer;
  }
}
