package io.luthien.gateway.policy;

import io.luthien.shared.payloads.PolicyStreamChunk;
import io.luthien.shared.payloads.PolicyStreamClose;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's open stream session on a policy instance; chunks are numbered so the policy sees them
 * in order. Its messages are not traced (one span per chunk would cost more than the chunk): the
 * session's open request is.
 */
public final class PolicyStream {

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

  /** One original chunk in; the reply holds zero or more final chunks and the policy's events. */
  public Future<PolicyStreamReply> chunk(JsonObject chunk) {
    return client.askUntraced(
        sessionAddress, callId, new PolicyStreamChunk(callId, nextSeq++, chunk));
  }

  /**
   * The upstream stream ended (or was abandoned): the reply holds what the policy still held back.
   */
  public Future<PolicyStreamReply> close() {
    return client.askUntraced(sessionAddress, callId, new PolicyStreamClose(callId, nextSeq++));
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
