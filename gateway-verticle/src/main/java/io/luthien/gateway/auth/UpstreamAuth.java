package io.luthien.gateway.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * What authenticates one call's provider request: the provider's own key from the server's
 * configuration ({@link #SERVER}), or the client's credential passed through. Travels beside the
 * request, never inside it: the request goes to the policy, the recorder and the feed.
 */
public final class UpstreamAuth {

  /** The server's provider key: today's behaviour, policies' model calls, {@code client_key}. */
  public static final UpstreamAuth SERVER = new UpstreamAuth(null);

  private static final String KEY = "luthien.upstream_auth";

  private final ClientCredential passedThrough;

  private UpstreamAuth(ClientCredential passedThrough) {
    this.passedThrough = passedThrough;
  }

  public static UpstreamAuth passThrough(ClientCredential credential) {
    return new UpstreamAuth(credential);
  }

  /** The call's auth, {@link #SERVER} when no auth handler ran (an open gateway). */
  public static UpstreamAuth of(RoutingContext ctx) {
    UpstreamAuth auth = ctx.get(KEY);
    return auth == null ? SERVER : auth;
  }

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  public boolean usesServerKey() {
    return passedThrough == null;
  }

  /** The client's credential, or null when the server's key is used. */
  public ClientCredential passedThrough() {
    return passedThrough;
  }

  @Override
  public String toString() {
    return passedThrough == null ? "UpstreamAuth[server]" : "UpstreamAuth[" + passedThrough + "]";
  }
}
