package io.luthien.gateway.api;

import io.luthien.gateway.auth.ClientAuth;
import io.luthien.gateway.auth.ClientCredential;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Finds a call's {@link CallOwner}: the session from {@link SessionIds}, and the user from the
 * {@value #USER_ID_HEADER} header when the gateway trusts it ({@code TRUST_USER_ID_HEADER=true}:
 * only behind something that sets it), else a stable label of the client's credential, {@code key-}
 * and the first 12 hex digits of its SHA-256; no user when the client presented none.
 */
public final class CallOwners {

  public static final String USER_ID_HEADER = "X-Luthien-User-Id";
  static final String KEY_LABEL_PREFIX = "key-";
  private static final int MAX_USER_ID_LENGTH = 128;

  private final boolean trustUserIdHeader;

  public CallOwners(boolean trustUserIdHeader) {
    this.trustUserIdHeader = trustUserIdHeader;
  }

  /** {@code clientRequest} is the body as the client sent it ({@code {}} when it was not read). */
  public CallOwner of(RoutingContext ctx, JsonObject clientRequest) {
    return new CallOwner(SessionIds.of(ctx.request(), clientRequest), userId(ctx));
  }

  private String userId(RoutingContext ctx) {
    if (trustUserIdHeader) {
      String header = ctx.request().getHeader(USER_ID_HEADER);
      if (header != null && !header.isBlank()) {
        String id = header.strip();
        return id.length() <= MAX_USER_ID_LENGTH ? id : id.substring(0, MAX_USER_ID_LENGTH);
      }
    }
    ClientCredential credential = ClientAuth.credential(ctx);
    return credential == null ? null : KEY_LABEL_PREFIX + credential.hash().substring(0, 12);
  }
}
