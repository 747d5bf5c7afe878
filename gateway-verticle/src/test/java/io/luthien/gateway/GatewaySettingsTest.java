package io.luthien.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  @Test
  @DisplayName(
      "the door's defaults: depth 200, 30 s to read a request, 4096 connections, and an idle timeout that outlasts a silent whole answer")
  void doorDefaults() {
    GatewaySettings defaults = GatewaySettings.from(new JsonObject());

    assertThat(defaults.maxJsonDepth()).isEqualTo(200);
    assertThat(defaults.requestReadTimeoutMillis()).isEqualTo(30_000);
    assertThat(defaults.maxConnections()).isEqualTo(4096);
    assertThat(defaults.idleTimeoutMillis()).isEqualTo(150_000);
    assertThat(defaults.idleTimeoutMillis())
        .isGreaterThan(defaults.upstreamTimeoutMillis() + defaults.policyTimeoutMillis());
  }

  @Test
  @DisplayName(
      "a longer UPSTREAM_TIMEOUT_MS lengthens the default idle timeout; GATEWAY_IDLE_TIMEOUT_MS overrides it")
  void idleTimeoutFollowsUpstreamTimeout() {
    GatewaySettings slowModels =
        GatewaySettings.from(new JsonObject().put("UPSTREAM_TIMEOUT_MS", "600000"));
    GatewaySettings explicit =
        GatewaySettings.from(
            new JsonObject()
                .put("UPSTREAM_TIMEOUT_MS", "600000")
                .put("GATEWAY_IDLE_TIMEOUT_MS", "5000"));

    assertThat(slowModels.idleTimeoutMillis()).isEqualTo(630_000);
    assertThat(explicit.idleTimeoutMillis()).isEqualTo(5_000);
  }

  @Test
  @DisplayName(
      "a new call waits 10 s at most for a recorder that fell behind; RECORDER_HOLD_MAX_MS=0 never holds, a negative value is refused")
  void recorderHold() {
    assertThat(GatewaySettings.from(new JsonObject()).recorderHoldMaxMillis()).isEqualTo(10_000);
    assertThat(
            GatewaySettings.from(new JsonObject().put("RECORDER_HOLD_MAX_MS", "0"))
                .recorderHoldMaxMillis())
        .isZero();
    assertThatThrownBy(
            () -> GatewaySettings.from(new JsonObject().put("RECORDER_HOLD_MAX_MS", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RECORDER_HOLD_MAX_MS is -1");
  }
}
