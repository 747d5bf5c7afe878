package io.luthien.policy.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a chunk hook does with one streamed chunk. The client always gets a well-formed stream:
 * after {@link #end}, the gateway closes it in the client's own format (OpenAI: a last chunk with
 * {@code finish_reason: stop} and {@code [DONE]}; Anthropic: the open block and the message closed,
 * {@code stop_reason: end_turn}) and cancels the upstream.
 */
public final class ChunkVerdict {

  /** How the stream goes on. */
  public enum Kind {
    /** The chunk goes on unchanged. */
    PASS,
    /** These chunks go on instead: none holds the chunk back, several inject. */
    EMIT,
    /** These chunks go on, then the stream ends with {@link #message()} as its last text. */
    END,
    /**
     * These chunks go on and already end the stream (their last finishes it): what a composite
     * policy returns once a member's {@link #END} went through the members after it.
     */
    ENDED
  }

  private static final ChunkVerdict PASS = new ChunkVerdict(Kind.PASS, List.of(), null);
  private static final ChunkVerdict HOLD = new ChunkVerdict(Kind.EMIT, List.of(), null);

  private final Kind kind;
  private final List<JsonObject> chunks;
  private final String message;

  private ChunkVerdict(Kind kind, List<JsonObject> chunks, String message) {
    this.kind = kind;
    this.chunks = List.copyOf(chunks);
    this.message = message;
  }

  public static ChunkVerdict pass() {
    return PASS;
  }

  /** Nothing goes on now; a later hook or {@link Policy#onStreamEnd} may release it. */
  public static ChunkVerdict hold() {
    return HOLD;
  }

  /** Replaces the chunk with these (in order); also how a policy injects chunks. */
  public static ChunkVerdict emit(List<JsonObject> chunks) {
    return chunks.isEmpty() ? HOLD : new ChunkVerdict(Kind.EMIT, chunks, null);
  }

  public static ChunkVerdict emit(JsonObject... chunks) {
    return emit(List.of(chunks));
  }

  /** Ends the stream now: {@code message} (may be empty) is the last text the client sees. */
  public static ChunkVerdict end(String message) {
    return end(List.of(), message);
  }

  /** Sends {@code chunks}, then ends the stream with {@code message} as its last text. */
  public static ChunkVerdict end(List<JsonObject> chunks, String message) {
    return new ChunkVerdict(Kind.END, chunks, message == null ? "" : message);
  }

  /** For composite policies: {@code chunks} already hold the stream's end. */
  public static ChunkVerdict endedWith(List<JsonObject> chunks) {
    return new ChunkVerdict(Kind.ENDED, chunks, null);
  }

  /** Whether the stream ends after this verdict. */
  public boolean endsStream() {
    return kind == Kind.END || kind == Kind.ENDED;
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#EMIT}, {@link Kind#END} and {@link Kind#ENDED}: what goes on. */
  public List<JsonObject> chunks() {
    return chunks;
  }

  /** For {@link Kind#END}: the stream's last text. */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return kind + (kind == Kind.PASS ? "" : " " + chunks.size() + " chunks");
  }
}
