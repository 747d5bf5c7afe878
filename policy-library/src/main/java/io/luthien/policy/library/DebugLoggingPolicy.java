package io.luthien.policy.library;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Requests;
import io.luthien.canonical.Usage;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.RequestDecision;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes nothing; records what it sees as policy events: {@code debug.request}, {@code
 * debug.response}, {@code debug.chunk} for the first {@code max_chunk_events} chunks of a stream
 * (default 20) and {@code debug.stream_end} with the stream's totals. Events carry sizes, counts
 * and a preview of at most {@code preview_chars} characters of text (default 200), never whole
 * payloads.
 */
public final class DebugLoggingPolicy implements Policy {

  private final int previewChars;
  private final int maxChunkEvents;

  public DebugLoggingPolicy(PolicyConfig config) {
    config.allowOnly("preview_chars", "max_chunk_events");
    this.previewChars = (int) config.integer("preview_chars", 200, 0, 10_000);
    this.maxChunkEvents = (int) config.integer("max_chunk_events", 20, 0, 10_000);
  }

  @Override
  public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    context.emit(
        "debug.request",
        new JsonObject()
            .put("model", request.getValue("model"))
            .put("message_count", Requests.messages(request).size())
            .put("stream", Boolean.TRUE.equals(request.getValue("stream")))
            .put("has_tools", request.getValue("tools") != null)
            .put("max_tokens", request.getValue("max_tokens"))
            .put("size", request.encode().length())
            .put("last_user_text", preview(Requests.lastUserText(request))));
    return Future.succeededFuture(RequestDecision.allow(request));
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    String text = Completions.text(response);
    Usage usage = Completions.usage(response);
    context.emit(
        "debug.response",
        new JsonObject()
            .put("id", response.getValue("id"))
            .put("model", response.getValue("model"))
            .put("finish_reason", Completions.finishReason(response))
            .put("tool_calls", Completions.toolCalls(response).size())
            .put("text_length", text == null ? 0 : text.length())
            .put("usage", usage == null ? null : usage.toJson())
            .put("size", response.encode().length())
            .put("text", preview(text)));
    return Future.succeededFuture(response);
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    Stream stream = context.state(Stream.class, Stream::new);
    String text = Chunks.textDelta(chunk);
    int fragments = Chunks.toolCallDeltas(chunk).size();
    String finish = Chunks.finishReason(chunk);
    stream.chunks++;
    stream.textLength += text.length();
    stream.toolCallFragments += fragments;
    if (finish != null) {
      stream.finishReasons.add(finish);
    }
    if (Chunks.usage(chunk) != null) {
      stream.usage = Chunks.usage(chunk).toJson();
    }
    if (stream.chunks <= maxChunkEvents) {
      context.emit(
          "debug.chunk",
          new JsonObject()
              .put("n", stream.chunks)
              .put("size", chunk.encode().length())
              .put("text", preview(text))
              .put("tool_call_fragments", fragments)
              .put("finish_reason", finish));
    }
    return Future.succeededFuture(ChunkVerdict.pass());
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    Stream stream = context.state(Stream.class, Stream::new);
    context.emit(
        "debug.stream_end",
        new JsonObject()
            .put("chunks", stream.chunks)
            .put("chunk_events", Math.min(stream.chunks, maxChunkEvents))
            .put("text_length", stream.textLength)
            .put("tool_call_fragments", stream.toolCallFragments)
            .put("finish_reasons", new JsonArray(stream.finishReasons))
            .put("usage", stream.usage));
    return Future.succeededFuture(List.of());
  }

  private String preview(String text) {
    if (text == null) {
      return null;
    }
    if (text.length() <= previewChars) {
      return text;
    }
    int end = previewChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** What one stream has shown so far. */
  private static final class Stream {
    private int chunks;
    private long textLength;
    private int toolCallFragments;
    private final List<String> finishReasons = new ArrayList<>();
    private JsonObject usage;
  }
}
