package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.LogCapture;
import io.luthien.shared.StoredPayloads;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RecorderEventsTest {

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
      "a request and a response event become one call row and two event rows with their columns")
  void writesCallAndEvents() {
    UUID callId = UUID.randomUUID();
    JsonObject request =
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(Fields.TIMESTAMP, "2026-11-02T10:00:00Z")
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, new JsonObject().put("model", "gpt-4o"))
                    .put(Fields.FINAL, new JsonObject().put("model", "gpt-4o")))
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.MODEL, "gpt-4o")
                    .put(Fields.PROVIDER, "openai")
                    .put(Fields.API, "openai")
                    .put(Fields.STREAM, true)
                    .put(Fields.CREATED_AT, "2026-11-02T10:00:00Z"));
    JsonObject response =
        event(callId, Fields.EVENT_RESPONSE, 1)
            .put(Fields.TIMESTAMP, "2026-11-02T10:00:02.5Z")
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.STATUS, 200)
                    .put(Fields.COMPLETED_AT, "2026-11-02T10:00:02.5Z"));

    recorder.record(request);
    recorder.record(response);
    until(WRITTEN, "two event rows", () -> database.eventCount(callId) == 2);

    JsonObject call = database.call(callId);
    assertThat(call.getString("model")).isEqualTo("gpt-4o");
    assertThat(call.getString("provider")).isEqualTo("openai");
    assertThat(call.getString("api")).isEqualTo("openai");
    assertThat(call.getBoolean("stream")).isTrue();
    assertThat(call.getInteger("status")).isEqualTo(200);
    assertThat(instant(call.getString("created_at"))).isEqualTo("2026-11-02T10:00:00Z");
    assertThat(instant(call.getString("completed_at"))).isEqualTo("2026-11-02T10:00:02.500Z");
    List<JsonObject> events = database.events(callId);
    assertThat(events)
        .extracting(e -> e.getString("event_type"))
        .containsExactly("request", "response");
    assertThat(events).extracting(e -> e.getInteger("sequence")).containsExactly(0, 1);
    assertThat(events.get(0).getJsonObject("payload"))
        .isEqualTo(request.getJsonObject(Fields.PAYLOAD));
    assertThat(events.get(0).getJsonObject("stored_payload").fieldNames())
        .as("a final equal to the original is stored once")
        .containsExactly(Fields.ORIGINAL);
    assertThat(instant(events.get(1).getString("created_at")))
        .isEqualTo("2026-11-02T10:00:02.500Z");
  }

  @Test
  @DisplayName("the same event sent twice, in one batch or in two, is written once")
  void duplicatesAreWrittenOnce() {
    UUID callId = UUID.randomUUID();
    JsonObject request = event(callId, Fields.EVENT_REQUEST, 0);

    recorder.record(request);
    recorder.record(request.copy());
    until(WRITTEN, "both deliveries committed", () -> recorder.stats().writtenEvents() >= 2);
    recorder.record(request.copy());
    until(WRITTEN, "the third delivery committed", () -> recorder.stats().writtenEvents() >= 3);

    assertThat(database.eventCount(callId)).isEqualTo(1);
    assertThat(database.call(callId)).isNotNull();
  }

  @Test
  @DisplayName(
      "a response arriving before its request still ends as one call row with every column")
  void anyOrder() {
    UUID callId = UUID.randomUUID();
    JsonObject response =
        event(callId, Fields.EVENT_RESPONSE, 1)
            .put(Fields.TIMESTAMP, "2026-11-02T10:00:03Z")
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.STATUS, 200)
                    .put(Fields.COMPLETED_AT, "2026-11-02T10:00:03Z"));
    JsonObject policy =
        event(callId, "policy.rewrote", 2).put(Fields.TIMESTAMP, "2026-11-02T10:00:02Z");
    JsonObject request =
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(Fields.TIMESTAMP, "2026-11-02T10:00:00Z")
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.MODEL, "claude-x")
                    .put(Fields.PROVIDER, "anthropic")
                    .put(Fields.API, "anthropic")
                    .put(Fields.STREAM, false)
                    .putNull(Fields.STATUS));

    recorder.record(response);
    until(WRITTEN, "the response row", () -> database.eventCount(callId) == 1);
    assertThat(instant(database.call(callId).getString("created_at")))
        .isEqualTo("2026-11-02T10:00:03Z");
    recorder.record(policy);
    recorder.record(request);
    until(WRITTEN, "all three rows", () -> database.eventCount(callId) == 3);

    JsonObject call = database.call(callId);
    assertThat(call.getString("model")).isEqualTo("claude-x");
    assertThat(call.getString("provider")).isEqualTo("anthropic");
    assertThat(call.getString("api")).isEqualTo("anthropic");
    assertThat(call.getBoolean("stream")).isFalse();
    assertThat(call.getInteger("status"))
        .as("a later NULL does not erase the status")
        .isEqualTo(200);
    assertThat(instant(call.getString("created_at")))
        .as("the earliest time known")
        .isEqualTo("2026-11-02T10:00:00Z");
    assertThat(instant(call.getString("completed_at"))).isEqualTo("2026-11-02T10:00:03Z");
  }

  @Test
  @DisplayName(
      "1000 events sent at once are written in a handful of transactions, every one of them")
  void batches() {
    List<UUID> calls = IntStream.range(0, 50).mapToObj(i -> UUID.randomUUID()).toList();
    long batchesBefore = recorder.stats().writtenBatches();

    for (int i = 0; i < 1000; i++) {
      recorder.record(event(calls.get(i % calls.size()), "policy.chunk", i));
    }
    until(WRITTEN, "1000 event rows", () -> database.eventCount(calls) == 1000);

    long batches = recorder.stats().writtenBatches() - batchesBefore;
    assertThat(batches).isBetween(1000L / RecorderSettings.DEFAULT_BATCH_SIZE, 50L);
    assertThat(recorder.stats().writtenEvents()).isEqualTo(1000);
    assertThat(recorder.stats().droppedEvents()).isZero();
    assertThat(recorder.stats().queueSize()).isZero();
  }

  @Test
  @DisplayName(
      "malformed messages are counted and skipped while the good ones of the same burst are written")
  void malformed() {
    UUID callId = UUID.randomUUID();
    List<JsonObject> burst = new ArrayList<>();
    burst.add(event(callId, Fields.EVENT_REQUEST, 0));
    burst.add(event(callId, Fields.EVENT_REQUEST, 1).put(Fields.CALL_ID, "not-a-uuid"));
    burst.add(event(callId, Fields.EVENT_REQUEST, 2).putNull(Fields.CALL_ID));
    burst.add(event(callId, Fields.EVENT_REQUEST, 3).putNull(Fields.EVENT_TYPE));
    burst.add(event(callId, Fields.EVENT_REQUEST, 4).put(Fields.SEQUENCE, "four"));
    burst.add(event(callId, Fields.EVENT_REQUEST, 5).putNull(Fields.PAYLOAD));
    burst.add(event(callId, Fields.EVENT_REQUEST, 6).put(Fields.TIMESTAMP, "yesterday"));
    burst.add(
        event(callId, Fields.EVENT_REQUEST, 7)
            .put(Fields.CALL, new JsonObject().put(Fields.STATUS, "ok")));
    burst.add(event(callId, Fields.EVENT_RESPONSE, 8));

    burst.forEach(recorder::record);
    recorder.vertx.eventBus().send(Addresses.RECORDER_EVENTS, "not json at all");
    until(WRITTEN, "the good events", () -> database.eventCount(callId) == 2);
    until(WRITTEN, "8 malformed counted", () -> recorder.stats().malformedEvents() == 8);

    assertThat(database.events(callId))
        .extracting(e -> e.getInteger("sequence"))
        .containsExactly(0, 8);
  }

  @Test
  @DisplayName(
      "a payload holding a NUL character is stored, the character replaced, instead of blocking its batch")
  void nulCharacter() {
    UUID callId = UUID.randomUUID();
    recorder.record(
        event(callId, Fields.EVENT_RESPONSE, 0)
            .put(
                Fields.PAYLOAD,
                new JsonObject().put("text", "a\u0000b").put("literal", "\\u0000")));
    recorder.record(event(callId, Fields.EVENT_RESPONSE, 1));

    until(WRITTEN, "both rows", () -> database.eventCount(callId) == 2);

    JsonObject payload = database.events(callId).get(0).getJsonObject("payload");
    assertThat(payload.getString("text")).isEqualTo("a\uFFFDb");
    assertThat(payload.getString("literal")).isEqualTo("\\u0000");
    assertThat(recorder.stats().rejectedEvents()).isZero();
  }

  @Test
  @DisplayName(
      "an event PostgreSQL refuses on its own is counted and logged, and the rest of its batch is written")
  void refusedEvent() {
    UUID callId = UUID.randomUUID();
    // too long for the btree index on event_type: the kind of error no retry can fix
    String hugeType =
        "policy."
            + new Random()
                .ints(12_000, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);

    try (LogCapture logs = new LogCapture(IsolatingStore.class)) {
      recorder.record(event(callId, Fields.EVENT_REQUEST, 0));
      recorder.record(event(callId, hugeType, 1));
      recorder.record(event(callId, Fields.EVENT_RESPONSE, 2));
      until(WRITTEN, "the batch settled", () -> recorder.stats().writtenEvents() == 3);

      assertThat(database.events(callId))
          .extracting(e -> e.getInteger("sequence"))
          .containsExactly(0, 2);
      assertThat(recorder.stats().rejectedEvents()).isEqualTo(1);
      assertThat(logs.lines(Level.WARN))
          .singleElement()
          .asString()
          .contains("PostgreSQL refused")
          .contains(callId.toString())
          .contains("#1");
    }
  }

  @Test
  @DisplayName(
      "an event whose payload is nested 1,100 deep is counted as unstorable and logged with its call id, and the next events are stored")
  void tooDeep() {
    UUID callId = UUID.randomUUID();
    JsonObject deep = new JsonObject().put("leaf", true);
    for (int depth = 0; depth < 1_100; depth++) {
      deep = new JsonObject().put("nested", deep);
    }

    try (LogCapture logs = new LogCapture(RecorderVerticle.class)) {
      recorder.record(event(callId, Fields.EVENT_REQUEST, 0).put(Fields.PAYLOAD, deep));
      recorder.record(event(callId, Fields.EVENT_RESPONSE, 1));
      until(WRITTEN, "the next event", () -> database.eventCount(callId) == 1);

      assertThat(database.events(callId))
          .extracting(e -> e.getInteger("sequence"))
          .containsExactly(1);
      assertThat(recorder.stats().unstorableEvents()).isEqualTo(1);
      assertThat(logs.lines(Level.WARN))
          .singleElement()
          .asString()
          .contains("payload cannot be encoded")
          .contains(callId.toString())
          .contains("request #0");
    }
  }

  @Test
  @DisplayName(
      "a 50 MB payload is stored truncated, with a marker, its size and a preview, and the next events are stored")
  void hugePayload() {
    UUID callId = UUID.randomUUID();
    String answer = "y".repeat(50 * 1024 * 1024);
    JsonObject payload =
        new JsonObject()
            .put(Fields.ORIGINAL, new JsonObject().put("text", answer))
            .put(Fields.FINAL, new JsonObject().put("text", answer))
            .put(Fields.STATUS, 200);

    recorder.record(event(callId, Fields.EVENT_RESPONSE, 1).put(Fields.PAYLOAD, payload));
    recorder.record(event(callId, "policy.after", 2));
    until(WRITTEN, "both rows", () -> database.eventCount(callId) == 2);

    JsonObject stored =
        database.events(callId).stream()
            .filter(e -> e.getInteger("sequence") == 1)
            .findFirst()
            .orElseThrow()
            .getJsonObject("payload");
    assertThat(stored.getBoolean(PayloadText.TRUNCATED)).isTrue();
    assertThat(stored.getLong(PayloadText.ORIGINAL_BYTES))
        .as("the size of the JSON text it would have stored: the unchanged final left out")
        .isEqualTo(StoredPayloads.stored(payload).encode().length());
    assertThat(stored.getString(PayloadText.PREVIEW))
        .hasSize(PayloadText.PREVIEW_CHARS)
        .startsWith("{\"original\":{\"text\":\"yyy");
    assertThat(recorder.stats().unstorableEvents()).isZero();
  }

  private static String instant(String timestamp) {
    return OffsetDateTime.parse(timestamp).toInstant().toString();
  }
}
