package io.luthien.gateway.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A client stream that passes the provider's own events through (a Responses API backend's to a
 * Responses client): every upstream chunk stands for one upstream event, so it is told which policy
 * answer belongs to which upstream chunk rather than getting the final chunks one by one.
 */
public interface PassThroughClientStream extends ClientStream {

  /**
   * The bytes for the policy's answer to the next upstream chunk, in upstream order: its final
   * chunks, none when the policy held them back; null when there is nothing to write.
   */
  Buffer answered(List<JsonObject> finalChunks);

  /** The bytes for chunks the policy released on its own (its flush at the end); or null. */
  Buffer released(List<JsonObject> finalChunks);
}
