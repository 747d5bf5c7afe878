package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Addresses#RECORDED_EXCHANGE}: a recorded call's final request and response, read back from
 * the real PostgreSQL (what the Responses API's {@code previous_response_id} is rebuilt from).
 */
@ExtendWith(VertxExtension.class)
class ResponsesRecordedExchangeTest {

  private static final Duration WRITTEN = Duration.ofSeconds(10);

  private Vertx vertx;
  private RecorderFixture recorder;
  private TestDatabase database;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    recorder = RecorderFixture.start(vertx);
    database = new TestDatabase(vertx);
  }

  private Message<JsonObject> ask(UUID callId) {
    return await(
        vertx
            .eventBus()
            .<JsonObject>request(
                Addresses.RECORDED_EXCHANGE,
                new JsonObject().put(Fields.CALL_ID, callId.toString())));
  }

  @Test
  @DisplayName(
      "a call with a recorded answer gives back its API and the final request and response")
  void recorded() {
    UUID callId = UUID.randomUUID();
    JsonObject request =
        new JsonObject().put("model", "gpt-4o").put("input", "hi").put("instructions", "x");
    JsonObject response = new JsonObject().put("id", "resp_1").put("status", "completed");
    recorder.record(
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, request.copy().put("previous_response_id", "resp_0"))
                    .put(Fields.FINAL, request))
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.API, Fields.API_OPENAI_RESPONSES)
                    .put(Fields.CREATED_AT, "2026-11-02T10:00:00Z")));
    recorder.record(
        event(callId, Fields.EVENT_RESPONSE, 1)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, response)
                    .put(Fields.FINAL, response)
                    .put(Fields.STATUS, 200))
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.STATUS, 200)
                    .put(Fields.COMPLETED_AT, "2026-11-02T10:00:01Z")));
    until(WRITTEN, "both events written", () -> database.eventCount(callId) == 2);

    JsonObject exchange = ask(callId).body();

    assertThat(exchange.getString(Fields.API)).isEqualTo(Fields.API_OPENAI_RESPONSES);
    assertThat(exchange.getJsonObject(Fields.EVENT_REQUEST)).isEqualTo(request);
    assertThat(exchange.getJsonObject(Fields.EVENT_RESPONSE)).isEqualTo(response);
  }

  @Test
  @DisplayName(
      "a deleted exchange is answered NOT_RECORDED from then on, its events stay, and deleting it"
          + " again is NOT_RECORDED too")
  void deleted() {
    UUID callId = UUID.randomUUID();
    recorder.record(
        event(callId, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, new JsonObject().put("input", "hi"))
                    .put(Fields.FINAL, new JsonObject().put("input", "hi")))
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.API, Fields.API_OPENAI_RESPONSES)
                    .put(Fields.CREATED_AT, "2026-11-02T10:00:00Z")));
    recorder.record(
        event(callId, Fields.EVENT_RESPONSE, 1)
            .put(
                Fields.PAYLOAD,
                new JsonObject()
                    .put(Fields.ORIGINAL, new JsonObject().put("id", "resp_1"))
                    .put(Fields.FINAL, new JsonObject().put("id", "resp_1"))
                    .put(Fields.STATUS, 200))
            .put(Fields.CALL, new JsonObject().put(Fields.STATUS, 200)));
    until(WRITTEN, "both events written", () -> database.eventCount(callId) == 2);
    JsonObject delete =
        new JsonObject().put(Fields.CALL_ID, callId.toString()).put(Fields.DELETE, true);

    JsonObject deleted =
        await(vertx.eventBus().<JsonObject>request(Addresses.RECORDED_EXCHANGE, delete)).body();

    assertThat(deleted).isEqualTo(new JsonObject().put("deleted", true));
    assertThat(((ReplyException) catchThrowable(() -> ask(callId))).failureCode())
        .isEqualTo(FailureCodes.NOT_RECORDED);
    assertThat(
            ((ReplyException)
                    catchThrowable(
                        () -> await(vertx.eventBus().request(Addresses.RECORDED_EXCHANGE, delete))))
                .failureCode())
        .isEqualTo(FailureCodes.NOT_RECORDED);
    assertThat(database.eventCount(callId)).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "an unknown call, or one without a recorded answer, fails with NOT_RECORDED; a body"
          + " without a call id with BAD_MESSAGE")
  void notRecorded() {
    UUID unanswered = UUID.randomUUID();
    recorder.record(
        event(unanswered, Fields.EVENT_REQUEST, 0)
            .put(Fields.CALL, new JsonObject().put(Fields.CREATED_AT, "2026-11-02T10:00:00Z")));
    until(WRITTEN, "the request written", () -> database.eventCount(unanswered) == 1);

    for (UUID callId : new UUID[] {UUID.randomUUID(), unanswered}) {
      Throwable failure = catchThrowable(() -> ask(callId));
      assertThat(failure).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureCode()).isEqualTo(FailureCodes.NOT_RECORDED);
    }
    Throwable bad =
        catchThrowable(
            () ->
                await(
                    vertx
                        .eventBus()
                        .request(Addresses.RECORDED_EXCHANGE, new JsonObject().put("x", 1))));
    assertThat(((ReplyException) bad).failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
  }
}
