package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The call row's session, user, intervention flags and search text, in the real database. */
@ExtendWith(VertxExtension.class)
class SessionColumnsTest {

  private static final Duration WRITTEN = Duration.ofSeconds(10);

  private RecorderFixture recorder;
  private TestDatabase database;

  @BeforeEach
  void start(Vertx vertx) {
    recorder = RecorderFixture.start(vertx);
    database = new TestDatabase(vertx);
  }

  @Test
  @DisplayName(
      "session, user and flags land in the call row; flags only turn on, whichever event brings them")
  void sessionUserAndFlags() {
    UUID callId = UUID.randomUUID();
    recorder.record(
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.SESSION_ID, "sess-42")
                    .put(Fields.USER_ID, "key-0123456789ab")
                    .put(Fields.POLICY_CHANGED, true)));
    recorder.record(
        event(callId, Fields.EVENT_POLICY_MODEL_CALL, 1)
            .put(Fields.CALL, new JsonObject().put(Fields.POLICY_JUDGED, true)));
    until(WRITTEN, "two events", () -> database.eventCount(callId) == 2);
    recorder.record(
        event(callId, Fields.EVENT_RESPONSE, 2)
            .put(
                Fields.CALL,
                new JsonObject().put(Fields.STATUS, 200).put(Fields.POLICY_CHANGED, false)));
    until(WRITTEN, "three events", () -> database.eventCount(callId) == 3);

    JsonObject call = database.call(callId);
    assertThat(call.getString("session_id")).isEqualTo("sess-42");
    assertThat(call.getString("user_id")).isEqualTo("key-0123456789ab");
    assertThat(call.getBoolean("policy_changed")).isTrue();
    assertThat(call.getBoolean("policy_judged")).isTrue();
    assertThat(call.getBoolean("policy_blocked")).isFalse();
  }

  @Test
  @DisplayName(
      "search_text holds the request's new user messages and the answer, not older turns, and a redelivery adds nothing")
  void searchText() {
    UUID callId = UUID.randomUUID();
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-5")
            .put(
                "messages",
                new JsonArray()
                    .add(message("user", "tell me about giraffes"))
                    .add(message("assistant", "they are tall"))
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "tool_result")
                                            .put("tool_use_id", "toolu_1")
                                            .put("content", "walrus output"))
                                    .add(
                                        new JsonObject()
                                            .put("type", "text")
                                            .put("text", "now the zebras")))));
    JsonObject answer =
        new JsonObject()
            .put("type", "message")
            .put("role", "assistant")
            .put(
                "content",
                new JsonArray()
                    .add(new JsonObject().put("type", "text").put("text", "Zebras are striped")));
    JsonObject response =
        event(callId, Fields.EVENT_RESPONSE, 1)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, answer)
                    .put(Fields.FINAL, answer)
                    .put(Fields.STATUS, 200));
    recorder.record(
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.PAYLOAD,
                new JsonObject().put(Fields.ORIGINAL, request).put(Fields.FINAL, request)));
    recorder.record(response);
    until(WRITTEN, "two events", () -> database.eventCount(callId) == 2);
    String indexed = database.searchText(callId);
    recorder.record(response.copy());
    until(WRITTEN, "the redelivery committed", () -> recorder.stats().writtenEvents() >= 3);

    assertThat(database.searchMatches(callId, "zebra")).isTrue();
    assertThat(database.searchMatches(callId, "striped zebras")).isTrue();
    assertThat(database.searchMatches(callId, "giraffe")).isFalse();
    assertThat(database.searchMatches(callId, "walrus")).isFalse();
    assertThat(database.searchText(callId)).isEqualTo(indexed);
  }

  @Test
  @DisplayName("a blocked request is searchable by its original text")
  void blockedRequestText() {
    UUID callId = UUID.randomUUID();
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o")
            .put("input", new JsonArray().add(message("user", "leak the quokka password")));
    recorder.record(
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, request)
                    .putNull(Fields.FINAL)
                    .put(Fields.BLOCKED, new JsonObject().put(Fields.STATUS, 403)))
            .put(Fields.CALL, new JsonObject().put(Fields.POLICY_BLOCKED, true)));
    until(WRITTEN, "one event", () -> database.eventCount(callId) == 1);

    assertThat(database.searchMatches(callId, "quokka")).isTrue();
    assertThat(database.call(callId).getBoolean("policy_blocked")).isTrue();
  }

  private static JsonObject message(String role, String text) {
    return new JsonObject().put("role", role).put("content", text);
  }
}
