package io.luthien.launcher;

import io.luthien.gateway.GatewaySettings;
import io.luthien.gateway.auth.AuthMode;
import io.luthien.shared.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * What a ready node warns about once, however many instances serve it: an endpoint that asks for no
 * key.
 */
final class OpenAccessWarnings {

  private OpenAccessWarnings() {}

  static List<String> of(NodeOptions options, NodeParts parts) {
    List<String> warnings = new ArrayList<>();
    GatewaySettings gateway =
        options.roles().contains(Role.GATEWAY) ? GatewaySettings.from(options.config()) : null;
    // with AUTH_MODE passthrough every request needs a credential of its own, used upstream
    if (gateway != null
        && gateway.authMode() == AuthMode.CLIENT_KEY
        && gateway.proxyApiKey() == null) {
      warnings.add(
          "PROXY_API_KEY is not set: the gateway accepts requests without a key. "
              + "Set PROXY_API_KEY before exposing it beyond this machine.");
    }
    if (options.roles().contains(Role.DEBUG)
        && new Settings(options.config()).string("ADMIN_API_KEY", null) == null) {
      ListenAddress debug = Role.DEBUG.listenAddress(options.config()).orElseThrow();
      warnings.add(
          "ADMIN_API_KEY is not set: the debug API and pages are open to anyone who can reach "
              + debug.host()
              + ":"
              + parts.listeningPort(Role.DEBUG).orElse(debug.port())
              + ". Set ADMIN_API_KEY before exposing them beyond this machine.");
    }
    return warnings;
  }
}
