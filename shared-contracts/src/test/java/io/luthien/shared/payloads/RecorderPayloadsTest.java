package io.luthien.shared.payloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * recorder.events and activity.events: the JSON each record writes is the wire format, and reads
 * back.
 */
class RecorderPayloadsTest {

  private static final String CALL_ID = "0b5c3f6e-8a55-4c59-9d7e-2f1a3c4b5d6e";
  private static final JsonObject PAYLOAD =
      new JsonObject()
          .put("original", new JsonObject().put("model", "gpt-4o"))
          .put("final", new JsonObject().put("model", "gpt-4o"));

  @Test
  @DisplayName("a recorder event with its call columns is the contract's JSON and reads back")
  void recorderEventWithCall() {
    CallUpdate call =
        new CallUpdate(
            "gpt-4o",
            "openai",
            "openai",
            true,
            200,
            Instant.parse("2026-11-02T10:00:00Z"),
            Instant.parse("2026-11-02T10:00:02.500Z"));
    RecorderEvent event =
        new RecorderEvent(
            CALL_ID, "response", 1, Instant.parse("2026-11-02T10:00:02.500Z"), PAYLOAD, call);

    assertThat(event.toJson())
        .isEqualTo(
            new JsonObject()
                .put("call_id", CALL_ID)
                .put("event_type", "response")
                .put("sequence", 1)
                .put("timestamp", "2026-11-02T10:00:02.500Z")
                .put("payload", PAYLOAD)
                .put(
                    "call",
                    new JsonObject()
                        .put("model", "gpt-4o")
                        .put("provider", "openai")
                        .put("api", "openai")
                        .put("stream", true)
                        .put("status", 200)
                        .put("created_at", "2026-11-02T10:00:00Z")
                        .put("completed_at", "2026-11-02T10:00:02.500Z")));
    assertThat(RecorderEvent.fromJson(event.toJson())).isEqualTo(event);
  }

  @Test
  @DisplayName(
      "a call's session, user and intervention flags are the contract's JSON fields and read back")
  void sessionUserAndInterventions() {
    CallUpdate call =
        new CallUpdate(
            "gpt-4o",
            null,
            "anthropic",
            false,
            403,
            null,
            null,
            null,
            "sess-1",
            "key-0123456789ab",
            null,
            true,
            true);
    JsonObject json = call.toJson();

    assertThat(json)
        .isEqualTo(
            new JsonObject()
                .put("model", "gpt-4o")
                .put("api", "anthropic")
                .put("stream", false)
                .put("status", 403)
                .put("session_id", "sess-1")
                .put("user_id", "key-0123456789ab")
                .put("policy_blocked", true)
                .put("policy_judged", true));
    assertThat(CallUpdate.fromJson(json)).isEqualTo(call);
    assertThatThrownBy(() -> CallUpdate.fromJson(json.copy().put("policy_changed", "yes")))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("policy_changed");
  }

  @Test
  @DisplayName(
      "an event that knows nothing of its call has no call object, and a partial one only what it knows")
  void recorderEventCallSubsets() {
    RecorderEvent bare =
        new RecorderEvent(
            CALL_ID,
            "policy.checked",
            2,
            Instant.parse("2026-11-02T10:00:01Z"),
            new JsonObject().put("phase", "request"),
            null);
    JsonObject partial =
        bare.toJson().put("call", new JsonObject().put("status", 403).putNull("model"));

    assertThat(bare.call()).isEqualTo(CallUpdate.NONE);
    assertThat(bare.toJson().containsKey("call")).isFalse();
    assertThat(RecorderEvent.fromJson(bare.toJson())).isEqualTo(bare);
    assertThat(RecorderEvent.fromJson(partial).call())
        .isEqualTo(new CallUpdate(null, null, null, null, 403, null, null));
    assertThat(RecorderEvent.fromJson(partial).call().toJson())
        .isEqualTo(new JsonObject().put("status", 403));
  }

  @Test
  @DisplayName("a timestamp with any offset is the same instant, and one left out reads as null")
  void timestamps() {
    JsonObject event = new RecorderEvent(CALL_ID, "request", 0, null, PAYLOAD, null).toJson();

    assertThat(RecorderEvent.fromJson(event).timestamp()).isNull();
    assertThat(
            RecorderEvent.fromJson(event.copy().put("timestamp", "2026-11-02T12:00:00+02:00"))
                .timestamp())
        .isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
  }

  @Test
  @DisplayName("a malformed recorder event is refused with a message naming the field")
  void malformedRecorderEvents() {
    JsonObject good =
        new RecorderEvent(CALL_ID, "request", 0, Instant.now(), PAYLOAD, null).toJson();

    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().putNull("call_id")))
        .hasMessage("call_id is missing");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().put("event_type", " ")))
        .hasMessage("event_type is blank");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().put("sequence", "four")))
        .hasMessage("sequence must be a non-negative integer");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().put("sequence", 3_000_000_000L)))
        .hasMessage("sequence must be a non-negative integer");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().putNull("payload")))
        .hasMessage("payload is missing");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().put("timestamp", "yesterday")))
        .hasMessage("timestamp is not an ISO-8601 instant with an offset: 'yesterday'");
    assertThatThrownBy(
            () ->
                RecorderEvent.fromJson(
                    good.copy().put("call", new JsonObject().put("status", "ok"))))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("call.status must be an integer");
    assertThatThrownBy(
            () ->
                RecorderEvent.fromJson(
                    good.copy().put("call", new JsonObject().put("stream", "yes"))))
        .hasMessage("call.stream must be a boolean");
    assertThatThrownBy(() -> RecorderEvent.fromJson(good.copy().put("call", "x")))
        .hasMessage("call must be a JSON object");
  }

  @Test
  @DisplayName("an activity event is {call_id, event_type, timestamp, data} and reads back")
  void activityEvent() {
    ActivityEvent event =
        new ActivityEvent(
            CALL_ID,
            "request.received",
            Instant.parse("2026-11-02T10:00:00.001Z"),
            new JsonObject().put("model", "gpt-4o").put("preview", "hi"));

    assertThat(event.toJson())
        .isEqualTo(
            new JsonObject()
                .put("call_id", CALL_ID)
                .put("event_type", "request.received")
                .put("timestamp", "2026-11-02T10:00:00.001Z")
                .put("data", new JsonObject().put("model", "gpt-4o").put("preview", "hi")));
    assertThat(ActivityEvent.fromJson(event.toJson())).isEqualTo(event);
    assertThatThrownBy(() -> ActivityEvent.fromJson(event.toJson().put("data", "preview")))
        .hasMessage("data must be a JSON object");
    assertThatThrownBy(() -> ActivityEvent.fromJson(event.toJson().putNull("event_type")))
        .hasMessage("event_type is missing");
  }

  @Test
  @DisplayName(
      "a recorder's pressure message reads back; one without behind, or with a behind that is not a boolean, is malformed")
  void recorderPressure() {
    RecorderPressure pressure = new RecorderPressure("recorder-1", true, 55);

    assertThat(RecorderPressure.fromJson(pressure.toJson())).isEqualTo(pressure);
    assertThatThrownBy(() -> RecorderPressure.fromJson(pressure.toJson().copy().putNull("behind")))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("behind is missing");
    assertThatThrownBy(() -> RecorderPressure.fromJson(pressure.toJson().put("behind", "yes")))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("behind must be a boolean");
  }
}
