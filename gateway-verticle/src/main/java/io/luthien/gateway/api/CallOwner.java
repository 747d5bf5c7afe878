package io.luthien.gateway.api;

/**
 * Whom a call belongs to, as recorded and as the policy sees it ({@code PolicyRequest}'s {@code
 * session_id} and {@code user_id}): the client's agent session and its user, each null when
 * unknown. The user is never a credential, only a label of one.
 */
public record CallOwner(String sessionId, String userId) {

  /** Nothing known. */
  public static final CallOwner NONE = new CallOwner(null, null);
}
