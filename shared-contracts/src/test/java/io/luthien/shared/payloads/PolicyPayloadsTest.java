package io.luthien.shared.payloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The policy addresses' bodies and replies: the JSON each record writes is the wire format, and
 * reads back.
 */
class PolicyPayloadsTest {

  private static final JsonObject REQUEST =
      new JsonObject()
          .put("model", "gpt-4o")
          .put(
              "messages",
              new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  private static final JsonObject RESPONSE =
      new JsonObject()
          .put("object", "chat.completion")
          .put(
              "choices",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("index", 0)
                          .put("message", new JsonObject().put("content", "hello"))));
  private static final JsonObject CHUNK =
      new JsonObject()
          .put("object", "chat.completion.chunk")
          .put(
              "choices",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("index", 0)
                          .put("delta", new JsonObject().put("content", "he"))));
  private static final PolicyEvent EVENT =
      new PolicyEvent(
          "policy.checked",
          Instant.parse("2026-11-02T10:00:00.123Z"),
          new JsonObject().put("found", false));
  private static final JsonObject EVENT_JSON =
      new JsonObject()
          .put("type", "policy.checked")
          .put("timestamp", "2026-11-02T10:00:00.123Z")
          .put("data", new JsonObject().put("found", false));

  @Test
  @DisplayName("a policy event is {type, timestamp, data} and reads back")
  void policyEvent() {
    assertThat(EVENT.toJson()).isEqualTo(EVENT_JSON);
    assertThat(PolicyEvent.fromJson(EVENT_JSON)).isEqualTo(EVENT);
  }

  @Test
  @DisplayName(
      "policy.request's body is {call_id, api, request} and reads back; api may be left out")
  void policyRequest() {
    PolicyRequest request = new PolicyRequest("c1", "anthropic", REQUEST);

    assertThat(request.toJson())
        .isEqualTo(
            new JsonObject().put("call_id", "c1").put("api", "anthropic").put("request", REQUEST));
    assertThat(PolicyRequest.fromJson(request.toJson())).isEqualTo(request);
    assertThat(
            PolicyRequest.fromJson(new JsonObject().put("call_id", "c1").put("request", REQUEST))
                .api())
        .isNull();
    PolicyRequest known = new PolicyRequest("c1", "openai", "sess-1", "user-1", REQUEST);
    assertThat(known.toJson().getString("session_id")).isEqualTo("sess-1");
    assertThat(known.toJson().getString("user_id")).isEqualTo("user-1");
    assertThat(PolicyRequest.fromJson(known.toJson())).isEqualTo(known);
  }

  @Test
  @DisplayName(
      "a trial's policy request carries its candidate {class, config}; without one there is no candidate key")
  void policyRequestCandidate() {
    JsonObject candidate =
        new JsonObject().put("class", "AllCapsPolicy").put("config", new JsonObject());
    PolicyRequest trial = new PolicyRequest("t1", "openai", null, null, REQUEST, candidate);

    assertThat(trial.toJson().getJsonObject("candidate")).isEqualTo(candidate);
    assertThat(PolicyRequest.fromJson(trial.toJson())).isEqualTo(trial);
    assertThat(new PolicyRequest("c1", "openai", REQUEST).toJson().containsKey("candidate"))
        .isFalse();
    assertThatThrownBy(
            () -> PolicyRequest.fromJson(trial.toJson().put("candidate", "AllCapsPolicy")))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("candidate");
  }

  @Test
  @DisplayName(
      "policy.request's reply is {request, session, timeout_ms?, events} or {blocked: {status, message}, events} and reads back")
  void policyRequestReply() {
    PolicyRequestReply allowed =
        PolicyRequestReply.allowed(REQUEST, List.of(EVENT), "policy.session.abc", 45_000L);
    PolicyRequestReply refused = PolicyRequestReply.refused(new Blocked(403, "no"), List.of());

    assertThat(allowed.toJson())
        .isEqualTo(
            new JsonObject()
                .put("request", REQUEST)
                .put("session", "policy.session.abc")
                .put("timeout_ms", 45_000L)
                .put("events", new JsonArray().add(EVENT_JSON)));
    assertThat(refused.toJson())
        .isEqualTo(
            new JsonObject()
                .put("blocked", new JsonObject().put("status", 403).put("message", "no"))
                .put("events", new JsonArray()));
    assertThat(PolicyRequestReply.fromJson(allowed.toJson())).isEqualTo(allowed);
    assertThat(PolicyRequestReply.fromJson(refused.toJson())).isEqualTo(refused);
    assertThat(refused.isBlocked()).isTrue();
    assertThat(allowed.isBlocked()).isFalse();
  }

  @Test
  @DisplayName(
      "policy.response's body is {call_id, request, response}, its reply {response, events}; both read back")
  void policyResponse() {
    PolicyResponse body = new PolicyResponse("c2", REQUEST, RESPONSE);
    PolicyResponseReply reply = new PolicyResponseReply(RESPONSE, List.of(EVENT));

    assertThat(body.toJson())
        .isEqualTo(
            new JsonObject()
                .put("kind", "response")
                .put("call_id", "c2")
                .put("request", REQUEST)
                .put("response", RESPONSE));
    assertThat(reply.toJson())
        .isEqualTo(
            new JsonObject()
                .put("response", RESPONSE)
                .put("events", new JsonArray().add(EVENT_JSON)));
    assertThat(PolicyResponse.fromJson(body.toJson())).isEqualTo(body);
    assertThat(PolicyResponseReply.fromJson(reply.toJson())).isEqualTo(reply);
  }

  @Test
  @DisplayName("a release is {kind: release, call_id} and reads back")
  void release() {
    PolicyRelease release = new PolicyRelease("c3");

    assertThat(release.toJson())
        .isEqualTo(new JsonObject().put("kind", "release").put("call_id", "c3"));
    assertThat(PolicyRelease.fromJson(release.toJson())).isEqualTo(release);
  }

  @Test
  @DisplayName("chunk and close messages carry their kind and seq, and read back as what they are")
  void streamMessages() {
    PolicyStreamChunk chunk = new PolicyStreamChunk("c3", 0, CHUNK);
    PolicyStreamClose close = new PolicyStreamClose("c3", 1);

    assertThat(chunk.toJson())
        .isEqualTo(
            new JsonObject()
                .put("kind", "chunk")
                .put("call_id", "c3")
                .put("seq", 0L)
                .put("chunk", CHUNK));
    assertThat(close.toJson())
        .isEqualTo(new JsonObject().put("kind", "close").put("call_id", "c3").put("seq", 1L));
    assertThat(PolicyStreamMessage.fromJson(chunk.toJson())).isEqualTo(chunk);
    assertThat(PolicyStreamMessage.fromJson(close.toJson())).isEqualTo(close);
  }

  @Test
  @DisplayName("a stream message's reply is {chunks, events} and reads back")
  void streamReply() {
    PolicyStreamReply reply = new PolicyStreamReply(List.of(CHUNK, CHUNK), List.of(EVENT));

    assertThat(reply.toJson())
        .isEqualTo(
            new JsonObject()
                .put("chunks", new JsonArray().add(CHUNK).add(CHUNK))
                .put("events", new JsonArray().add(EVENT_JSON)));
    assertThat(PolicyStreamReply.fromJson(reply.toJson())).isEqualTo(reply);
    assertThat(PolicyStreamReply.fromJson(new JsonObject().put("chunks", new JsonArray())).events())
        .as("a reply without events emitted none")
        .isEmpty();
    PolicyStreamReply ended = new PolicyStreamReply(List.of(CHUNK), List.of(), true);
    assertThat(ended.toJson().getBoolean("ended")).isTrue();
    assertThat(PolicyStreamReply.fromJson(ended.toJson())).isEqualTo(ended);
    assertThat(reply.toJson().containsKey("ended")).as("ended is only written when true").isFalse();
  }

  @Test
  @DisplayName("a body that breaks its contract is refused with a message naming the field")
  void malformedBodies() {
    assertThatThrownBy(() -> PolicyRequest.fromJson(new JsonObject().put("request", REQUEST)))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("call_id is missing");
    assertThatThrownBy(
            () ->
                PolicyRequest.fromJson(
                    new JsonObject().put("call_id", "c").put("request", "not an object")))
        .hasMessage("request must be a JSON object");
    assertThatThrownBy(
            () ->
                PolicyRequest.fromJson(new JsonObject().put("call_id", 7).put("request", REQUEST)))
        .hasMessage("call_id must be a string");
    assertThatThrownBy(
            () ->
                PolicyResponse.fromJson(
                    new JsonObject().put("call_id", "c").put("request", REQUEST)))
        .hasMessage("response is missing");
    assertThatThrownBy(() -> PolicyRelease.fromJson(new JsonObject()))
        .hasMessage("call_id is missing");
    assertThatThrownBy(() -> PolicyRequest.fromJson(null)).hasMessage("the body is missing");
  }

  @Test
  @DisplayName(
      "a stream message needs a known kind, a non-negative integer seq and, for a chunk, the chunk")
  void malformedStreamMessages() {
    JsonObject chunk = new PolicyStreamChunk("c", 0, CHUNK).toJson();
    JsonObject noKind = chunk.copy();
    noKind.remove("kind");

    assertThatThrownBy(() -> PolicyStreamMessage.fromJson(chunk.copy().put("kind", "flush")))
        .hasMessage("kind must be 'chunk' or 'close', got 'flush'");
    assertThatThrownBy(() -> PolicyStreamMessage.fromJson(chunk.copy().put("seq", -1)))
        .hasMessage("seq must be a non-negative integer");
    assertThatThrownBy(() -> PolicyStreamMessage.fromJson(chunk.copy().put("seq", 1.5)))
        .hasMessage("seq must be a non-negative integer");
    assertThatThrownBy(() -> PolicyStreamMessage.fromJson(chunk.copy().putNull("chunk")))
        .hasMessage("chunk is missing");
    assertThatThrownBy(() -> PolicyStreamMessage.fromJson(noKind)).hasMessage("kind is missing");
  }

  @Test
  @DisplayName(
      "a reply holds a request or a block, a block an HTTP error status, its events well-formed events")
  void malformedReplies() {
    assertThat(
            PolicyRequestReply.fromJson(new JsonObject().put("blocked", new JsonObject()))
                .blocked())
        .as("a refusal that names no status is a 403")
        .isEqualTo(new Blocked(403, null));
    assertThatThrownBy(
            () -> PolicyRequestReply.fromJson(new JsonObject().put("events", new JsonArray())))
        .hasMessage("a policy request reply holds either request or blocked");
    assertThatThrownBy(
            () ->
                PolicyRequestReply.fromJson(
                    new JsonObject()
                        .put("request", REQUEST)
                        .put("blocked", new JsonObject().put("status", 403))))
        .hasMessage("a policy request reply holds either request or blocked");
    assertThatThrownBy(
            () ->
                PolicyRequestReply.fromJson(
                    new JsonObject().put("blocked", new JsonObject().put("status", 200))))
        .hasMessage("blocked.status of a blocked call must be an HTTP error status, got 200");
    assertThatThrownBy(
            () ->
                PolicyResponseReply.fromJson(
                    new JsonObject()
                        .put("response", RESPONSE)
                        .put(
                            "events",
                            new JsonArray().add(EVENT_JSON.copy().put("timestamp", "yesterday")))))
        .hasMessage("events[0].timestamp is not an ISO-8601 instant with an offset: 'yesterday'");
    assertThatThrownBy(
            () ->
                PolicyStreamReply.fromJson(
                    new JsonObject().put("chunks", new JsonArray().add("x"))))
        .hasMessage("chunks[0] must be a JSON object");
  }
}
