package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.auth.ClientCredential;
import io.luthien.shared.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who a call belongs to (its session and user) and whether a policy stepped in, as the gateway
 * sends them to the recorder in the request and response events' {@code call}, and to the policy.
 */
class CallOwnersTest {

  private static final String CLIENT_KEY = "sk-client-secret-0123456789";

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> recorded = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private GatewayFixture start(TestPolicyNode.Mode mode, JsonObject config) {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    return GatewayFixture.start(vertx, mode, config);
  }

  @Test
  @DisplayName(
      "an x-session-id header and a client key are recorded as the call's session and a hash label of the key, which never appears itself")
  void sessionHeaderAndKeyLabel() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS, new JsonObject());

    HttpResponse<Buffer> response =
        send(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + CLIENT_KEY)
                .putHeader("x-session-id", "sess-header-1"),
            GatewayFixture.chat("gpt-4o", "hello"));

    JsonObject call = requestCall(response);
    String label = "key-" + ClientCredential.sha256(CLIENT_KEY).substring(0, 12);
    assertThat(call.getString("session_id")).isEqualTo("sess-header-1");
    assertThat(call.getString("user_id")).isEqualTo(label);
    JsonObject policyRequest = gateway.policy.received.get(0);
    assertThat(policyRequest.getString("session_id")).isEqualTo("sess-header-1");
    assertThat(policyRequest.getString("user_id")).isEqualTo(label);
    awaitEvent(response, "response");
    assertThat(recorded.toString()).doesNotContain(CLIENT_KEY);
    assertThat(gateway.policy.received.toString()).doesNotContain(CLIENT_KEY);
  }

  @Test
  @DisplayName(
      "Claude Code's metadata.user_id names the session of an Anthropic call; a call without a credential has no user")
  void claudeCodeMetadata() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS, new JsonObject());
    String session = UUID.randomUUID().toString();
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o")
            .put("max_tokens", 64)
            .put(
                "metadata",
                new JsonObject().put("user_id", "user_abc123_account__session_" + session))
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

    HttpResponse<Buffer> response = send(gateway.web.post("/v1/messages"), request);

    JsonObject call = requestCall(response);
    assertThat(call.getString("session_id")).isEqualTo(session);
    assertThat(call.containsKey("user_id")).isFalse();
  }

  @Test
  @DisplayName("Codex's session-id header names the session of a Responses call")
  void codexSessionHeader() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS, new JsonObject());

    HttpResponse<Buffer> response =
        send(
            gateway
                .web
                .post("/v1/responses")
                .putHeader("session-id", "codex-7")
                .putHeader("x-api-key", CLIENT_KEY),
            new JsonObject().put("model", "gpt-4o").put("input", "hello"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject call = requestCall(response);
    assertThat(call.getString("session_id")).isEqualTo("codex-7");
    assertThat(call.getString("user_id")).startsWith("key-").hasSize(16);
  }

  @Test
  @DisplayName(
      "X-Luthien-User-Id is the user only with TRUST_USER_ID_HEADER=true; without it the key's label is")
  void trustedUserHeader() {
    GatewayFixture trusting =
        start(TestPolicyNode.Mode.PASS, new JsonObject().put("TRUST_USER_ID_HEADER", "true"));
    GatewayFixture distrusting =
        GatewayFixture.start(vertx, null, new JsonObject().put("PROXY_API_KEY", "unused-proxy"));

    HttpResponse<Buffer> trusted =
        send(
            trusting
                .web
                .post("/v1/chat/completions")
                .putHeader("x-api-key", CLIENT_KEY)
                .putHeader("X-Luthien-User-Id", "alice@example.com"),
            GatewayFixture.chat("gpt-4o", "hello"));
    HttpResponse<Buffer> untrusted =
        send(
            distrusting
                .web
                .post("/v1/chat/completions")
                .putHeader("x-api-key", CLIENT_KEY)
                .putHeader("X-Luthien-User-Id", "mallory"),
            GatewayFixture.chat("gpt-4o", "hello"));

    assertThat(requestCall(trusted).getString("user_id")).isEqualTo("alice@example.com");
    // refused (wrong proxy key) and still attributed, by the key's label, not the header
    assertThat(untrusted.statusCode()).isEqualTo(401);
    assertThat(requestCall(untrusted).getString("user_id"))
        .isEqualTo("key-" + ClientCredential.sha256(CLIENT_KEY).substring(0, 12));
  }

  @Test
  @DisplayName(
      "a blocked request is flagged policy_blocked, a changed answer policy_changed, a judge's model call policy_judged, an untouched call nothing")
  void interventions() {
    assertThat(flags(TestPolicyNode.Mode.BLOCK))
        .isEqualTo(new JsonObject().put("policy_blocked", true));
    assertThat(flags(TestPolicyNode.Mode.UPPERCASE))
        .isEqualTo(new JsonObject().put("policy_changed", true));
    assertThat(flags(TestPolicyNode.Mode.REWRITE))
        .isEqualTo(new JsonObject().put("policy_changed", true));
    assertThat(flags(TestPolicyNode.Mode.JUDGE))
        .isEqualTo(new JsonObject().put("policy_judged", true));
    assertThat(flags(TestPolicyNode.Mode.PASS)).isEqualTo(new JsonObject());
  }

  /** The intervention flags every recorded event of one call through a gateway says together. */
  private JsonObject flags(TestPolicyNode.Mode mode) {
    Vertx own = Vertx.vertx();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    try {
      await(
          own.eventBus()
              .<JsonObject>consumer(
                  Addresses.RECORDER_EVENTS, message -> events.add(message.body()))
              .completion());
      GatewayFixture gateway = GatewayFixture.start(own, mode, new JsonObject());
      gateway.post(GatewayFixture.chat("gpt-4o", "hello"));
      String last = mode == TestPolicyNode.Mode.BLOCK ? "request" : "response";
      awaitFound(
          "the " + last + " event",
          () -> events.stream().anyMatch(e -> last.equals(e.getString("event_type"))));
      JsonObject flags = new JsonObject();
      for (JsonObject event : events) {
        JsonObject call = event.getJsonObject("call", new JsonObject());
        for (String flag : List.of("policy_changed", "policy_blocked", "policy_judged")) {
          if (call.containsKey(flag)) {
            flags.put(flag, call.getBoolean(flag) || flags.getBoolean(flag, false));
          }
        }
      }
      return flags;
    } finally {
      await(own.close());
    }
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return await(request.sendJsonObject(body));
  }

  private JsonObject requestCall(HttpResponse<Buffer> response) {
    return awaitEvent(response, "request").getJsonObject("call");
  }

  private JsonObject awaitEvent(HttpResponse<Buffer> response, String type) {
    String callId = response.getHeader("X-Call-ID");
    return awaitFound(
        "the " + type + " event of " + callId,
        () ->
            recorded.stream()
                .filter(e -> callId.equals(e.getString("call_id")))
                .filter(e -> type.equals(e.getString("event_type")))
                .findFirst()
                .orElse(null));
  }

  private static <T> T awaitFound(String what, Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      T found = probe.get();
      if (found != null && !Boolean.FALSE.equals(found)) {
        return found;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("not found within 5 s: " + what);
  }
}
