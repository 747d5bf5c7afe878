package io.luthien.gateway.recording;

import io.luthien.canonical.ChunkAccumulator;
import io.luthien.canonical.Chunks;
import io.vertx.core.json.JsonObject;

/**
 * Both sides of a streamed answer, rebuilt from their chunks (the provider's and the client's), and
 * the live preview of the client's text, sent at most every 100 ms.
 */
final class StreamedAnswers {

  private static final long PREVIEW_INTERVAL_NANOS = 100_000_000L;

  private final ChunkAccumulator original = new ChunkAccumulator();
  private final ChunkAccumulator delivered = new ChunkAccumulator();
  private final StringBuilder unpreviewedText = new StringBuilder();
  private int deliveredChunks;
  private long lastPreviewNanos;

  void original(JsonObject chunk) {
    original.add(chunk);
  }

  void delivered(JsonObject chunk, CallActivity activity) {
    delivered.add(chunk);
    deliveredChunks++;
    String text = Chunks.textDelta(chunk);
    if (text != null) {
      unpreviewedText.append(text);
    }
    long now = System.nanoTime();
    if (now - lastPreviewNanos >= PREVIEW_INTERVAL_NANOS && !unpreviewedText.isEmpty()) {
      lastPreviewNanos = now;
      activity.streamPreview(unpreviewedText.toString(), deliveredChunks);
      unpreviewedText.setLength(0);
    }
  }

  /** The provider's answer, canonical. */
  JsonObject originalResponse() {
    return original.completion();
  }

  /** The answer the client got, canonical. */
  JsonObject deliveredResponse() {
    return delivered.completion();
  }
}
