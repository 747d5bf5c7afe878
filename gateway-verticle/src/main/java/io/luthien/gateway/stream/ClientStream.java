package io.luthien.gateway.stream;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Writes one streamed answer in the client's format, from canonical chunks. Not thread-safe: one
 * per stream.
 */
public interface ClientStream {

  /**
   * The bytes for one canonical chunk, or null when the client's format has nothing to say for it.
   */
  Buffer chunk(JsonObject canonicalChunk);

  /** The bytes that end a complete stream. */
  Buffer end();

  /** The last event of a stream that broke after its head was sent. */
  Buffer error(ApiError error);
}
