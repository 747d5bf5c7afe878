package io.luthien.gateway;

import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's open stream session on a policy instance; chunks are numbered so the policy sees them in order. Its
 * messages are not traced (one span per chunk would cost more than the chunk): the session's open request is.
 */
final class PolicyStream {

  private static final Logger log = LoggerFactory.getLogger(PolicyStream.class);

  private final PolicyClient client;
  private final String callId;
  private final String sessionAddress;
  private long nextSeq;

  PolicyStream(PolicyClient client, String callId, String sessionAddress) {
    this.client = client;
    this.callId = callId;
    this.sessionAddress = sessionAddress;
  }

  /** One original chunk in; the reply holds {@code "chunks"} (zero or more final chunks) and {@code "events"}. */
  Future<JsonObject> chunk(JsonObject chunk) {
    return client.askUntraced(sessionAddress, callId, new JsonObject()
        .put(Fields.KIND, Fields.KIND_CHUNK)
        .put(Fields.CALL_ID, callId)
        .put(Fields.SEQ, nextSeq++)
        .put(Fields.CHUNK, chunk));
  }

  /** The upstream stream ended (or was abandoned): the reply holds what the policy still held back. */
  Future<JsonObject> close() {
    return client.askUntraced(sessionAddress, callId, new JsonObject()
        .put(Fields.KIND, Fields.KIND_CLOSE)
        .put(Fields.CALL_ID, callId)
        .put(Fields.SEQ, nextSeq++));
  }

  /** The stream ends early and nobody waits for the rest; if this close is lost, the policy's idle sweep drops it. */
  public void abandon() {
    close().onFailure(failure -> log.debug("call {}: closing the abandoned policy stream failed: {}", callId,
        failure.getMessage()));
  }
}
