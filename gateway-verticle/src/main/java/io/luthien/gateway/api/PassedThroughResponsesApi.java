package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.stream.ClientStream;
import io.luthien.gateway.stream.PassThroughClientStream;
import io.luthien.gateway.translate.responses.PassedThroughEvents;
import io.luthien.gateway.translate.responses.ResponseIds;
import io.luthien.gateway.translate.responses.ResponsesBackendRequests;
import io.luthien.gateway.translate.responses.ResponsesOutput;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.shared.Fields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's Responses API for a call whose backend speaks it too: the policy sees the canonical
 * request and answer, the backend gets the client's request with the policy's changes ({@link
 * ResponsesBackendRequests#passedThrough}), and the client gets the backend's own answer with the
 * policy's changes ({@link io.luthien.gateway.translate.responses.PassedThroughAnswer}, {@link
 * PassedThroughEvents}). One instance per call; {@code request} is the client's request, its
 * conversation written out when it continued a {@code previous_response_id}.
 */
final class PassedThroughResponsesApi implements ClientApi {

  private final ResponseIds ids;
  private final JsonObject request;
  private final PassedThroughEvents events;
  private JsonObject canonicalRequest;

  PassedThroughResponsesApi(String callId, JsonObject request) {
    this.ids = new ResponseIds(callId);
    this.request = request;
    this.events = new PassedThroughEvents(ids);
  }

  ResponseIds ids() {
    return ids;
  }

  /** Where the upstream events go on their way to the policy. */
  PassedThroughEvents events() {
    return events;
  }

  @Override
  public String name() {
    return Fields.API_OPENAI_RESPONSES;
  }

  @Override
  public void validate(JsonObject clientRequest) {
    ResponsesRequests.validate(clientRequest);
  }

  @Override
  public JsonObject toCanonical(JsonObject clientRequest, HttpServerRequest http) {
    return toCanonical(clientRequest);
  }

  /** The canonical request of this call's {@code request} (the argument is the same request). */
  @Override
  public JsonObject toCanonical(JsonObject clientRequest) {
    JsonObject canonical = ResponsesRequests.toCanonicalForResponsesBackend(request);
    canonicalRequest = canonical.copy();
    return canonical;
  }

  /** The Responses request the backend gets (before routing renames its model). */
  @Override
  public JsonObject clientRequest(JsonObject finalRequest) {
    return ResponsesBackendRequests.passedThrough(request, canonicalRequest, finalRequest);
  }

  /**
   * Only for a stream that broke: its answers so far, rebuilt from the canonical chunks (an answer
   * that went out whole is recorded as it went, {@link CallRecord#answeredInClientFormat}).
   */
  @Override
  public JsonObject clientResponse(JsonObject canonicalResponse, String requestModel) {
    return ResponsesOutput.fromCanonical(canonicalResponse, ids, request);
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return error.toOpenAiJson();
  }

  @Override
  public ClientStream newStream() {
    return newStream((CallRecord) null);
  }

  /** The stream writer; it gives {@code record} both sides of the answer once it is complete. */
  ClientStream newStream(CallRecord record) {
    return new PassThroughClientStream() {
      @Override
      public Buffer answered(List<JsonObject> finalChunks) {
        return ResponsesClientApi.sse(events.answered(finalChunks));
      }

      @Override
      public Buffer released(List<JsonObject> finalChunks) {
        List<JsonObject> out = new ArrayList<>();
        finalChunks.forEach(chunk -> out.addAll(events.released(chunk)));
        return ResponsesClientApi.sse(out);
      }

      @Override
      public Buffer chunk(JsonObject canonicalChunk) {
        return released(List.of(canonicalChunk));
      }

      @Override
      public Buffer end() {
        List<JsonObject> last = events.finish();
        if (record != null && !last.isEmpty()) {
          record.answeredInClientFormat(
              events.upstreamResponse(), last.get(last.size() - 1).getJsonObject("response"));
        }
        Buffer bytes = ResponsesClientApi.sse(last);
        return bytes == null ? Buffer.buffer() : bytes;
      }

      @Override
      public Buffer error(ApiError error) {
        return ResponsesClientApi.sse(events.failed(error));
      }
    };
  }
}
