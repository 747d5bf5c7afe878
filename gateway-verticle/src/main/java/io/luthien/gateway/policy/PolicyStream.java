package io.luthien.gateway.policy;

import io.luthien.shared.payloads.PolicyStreamChunk;
import io.luthien.shared.payloads.PolicyStreamClose;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's stream at its policy session; chunks are numbered so the policy sees them in order.
 * Its messages are not traced (one span per chunk would cost more than the chunk): the call's
 * request is.
 */
public final class PolicyStream {

  private static final Logger log = LoggerFactory.getLogger(PolicyStream.class);

  private final PolicySession session;
  private final String callId;
  private long nextSeq;

  PolicyStream(PolicySession session, String callId) {
    this.session = session;
    this.callId = callId;
  }

  /**
   * One original chunk in; the reply holds zero or more final chunks, the policy's events, and
   * whether the policy ended the stream.
   */
  public Future<PolicyStreamReply> chunk(JsonObject chunk) {
    return session
        .askUntraced(new PolicyStreamChunk(callId, nextSeq++, chunk).toJson())
        .map(PolicyStreamReply::fromJson);
  }

  /**
   * The upstream stream ended (or was abandoned): the reply holds what the policy still held back.
   */
  public Future<PolicyStreamReply> close() {
    return session
        .askUntraced(new PolicyStreamClose(callId, nextSeq++).toJson())
        .map(PolicyStreamReply::fromJson);
  }

  /**
   * The stream ends early and nobody waits for the rest; if this close is lost, the policy's idle
   * sweep drops it.
   */
  public void abandon() {
    close()
        .onFailure(
            failure ->
                log.debug(
                    "call {}: closing the abandoned policy stream failed: {}",
                    callId,
                    failure.getMessage()));
  }
}
