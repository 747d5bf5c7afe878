package io.luthien.launcher;

import io.luthien.debug.DebugVerticle;
import io.luthien.gateway.GatewaySettings;
import io.luthien.gateway.GatewayVerticle;
import io.luthien.policy.PolicyVerticle;
import io.luthien.recorder.RecorderVerticle;
import io.luthien.shared.Settings;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A verticle a node can run; nodes are started with any subset. Listed in deployment order: the
 * consumers of the gateway's messages (policy, recorder) are up before the gateway takes its first
 * request.
 */
enum Role {
  POLICY("POLICY_INSTANCES", PolicyVerticle::new),
  RECORDER("RECORDER_INSTANCES", RecorderVerticle::new),
  GATEWAY("GATEWAY_INSTANCES", GatewayVerticle::new),
  DEBUG("DEBUG_INSTANCES", telemetry -> new DebugVerticle());

  private final String instancesVariable;

  @SuppressWarnings(
      "ImmutableEnumChecker") // constructor references and a stateless lambda: nothing to mutate
  private final Function<OpenTelemetry, Deployable> factory;

  Role(String instancesVariable, Function<OpenTelemetry, Deployable> factory) {
    this.instancesVariable = instancesVariable;
    this.factory = factory;
  }

  String instancesVariable() {
    return instancesVariable;
  }

  /**
   * Makes one instance of the role's verticle, reporting its spans and metrics to {@code
   * telemetry}.
   */
  Deployable create(OpenTelemetry telemetry) {
    return factory.apply(telemetry);
  }

  /**
   * Where the role's HTTP server listens as configured, with the variable that sets its port; empty
   * for roles that serve no HTTP. The debug values repeat {@code DebugSettings}' defaults, which
   * debug-verticle keeps package-private.
   */
  Optional<ListenAddress> listenAddress(JsonObject config) {
    return switch (this) {
      case GATEWAY -> {
        GatewaySettings gateway = GatewaySettings.from(config);
        yield Optional.of(new ListenAddress("GATEWAY_PORT", gateway.host(), gateway.port()));
      }
      case DEBUG -> {
        Settings settings = new Settings(config);
        yield Optional.of(
            new ListenAddress(
                "DEBUG_PORT",
                settings.string("HOST", "127.0.0.1"),
                settings.integer("DEBUG_PORT", 8001)));
      }
      case POLICY, RECORDER -> Optional.empty();
    };
  }

  /**
   * Whether the role reads or writes the call store (and so needs {@code DATABASE_URL} or the
   * embedded one).
   */
  boolean storesCalls() {
    return this == RECORDER || this == DEBUG;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Role parse(String text) {
    for (Role role : values()) {
      if (role.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + text + "' (known: " + known() + ")");
  }

  static String known() {
    return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
  }
}
