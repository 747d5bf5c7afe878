package io.luthien.gateway;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the policy side of the event-bus contract for gateway tests, so the gateway is tested
 * alone: pass-through, upper-casing, throwing, blocking, or silent (never replies).
 */
final class TestPolicyNode {

  /**
   * REWRITE: adds a system message to the request, upper-cases the answer, and emits an event at
   * every step.
   */
  enum Mode {
    PASS,
    UPPERCASE,
    REWRITE,
    THROW,
    THROW_ON_SECOND_CHUNK,
    BLOCK,
    SILENT,
    /** Passes everything, and says it made a model call (a judge's) for the request. */
    JUDGE
  }

  private static final String SESSION = "test.policy.session";

  private final Mode mode;
  final List<JsonObject> received = new CopyOnWriteArrayList<>();

  private TestPolicyNode(Mode mode) {
    this.mode = mode;
  }

  static Future<TestPolicyNode> register(Vertx vertx, Mode mode) {
    TestPolicyNode node = new TestPolicyNode(mode);
    return Future.all(
            vertx
                .eventBus()
                .<JsonObject>consumer(Addresses.POLICY_REQUEST, node::onRequest)
                .completion(),
            vertx.eventBus().<JsonObject>consumer(SESSION, node::onSession).completion())
        .map(node);
  }

  private boolean answered(Message<JsonObject> message) {
    received.add(message.body().copy().put("header_call_id", message.headers().get("call-id")));
    if (mode == Mode.SILENT) {
      return true;
    }
    if (mode == Mode.THROW) {
      message.fail(
          FailureCodes.POLICY_FAILED,
          "TestPolicy.onRequest failed: java.lang.IllegalStateException: boom");
      return true;
    }
    return false;
  }

  private void onRequest(Message<JsonObject> message) {
    if (answered(message)) {
      return;
    }
    if (mode == Mode.BLOCK) {
      message.reply(
          new JsonObject()
              .put(
                  Fields.BLOCKED,
                  new JsonObject()
                      .put(Fields.STATUS, 403)
                      .put(Fields.MESSAGE, "blocked: secrets are not allowed")));
      return;
    }
    JsonObject request = message.body().getJsonObject(Fields.REQUEST);
    if (mode == Mode.REWRITE) {
      request
          .getJsonArray("messages")
          .add(0, new JsonObject().put("role", "system").put("content", "be loud"));
    }
    message.reply(
        new JsonObject()
            .put(Fields.REQUEST, request)
            .put(Fields.SESSION, SESSION)
            .put(Fields.EVENTS, mode == Mode.JUDGE ? judged() : emitted("request_rewritten")));
  }

  private static JsonArray judged() {
    return new JsonArray()
        .add(
            new JsonObject()
                .put(Fields.TYPE, Fields.EVENT_POLICY_MODEL_CALL)
                .put("timestamp", java.time.Instant.now().toString())
                .put(
                    Fields.DATA,
                    new JsonObject()
                        .put(Fields.CALL_ID, java.util.UUID.randomUUID().toString())
                        .put(Fields.STATUS, 200)));
  }

  private JsonArray emitted(String type) {
    return mode != Mode.REWRITE
        ? new JsonArray()
        : new JsonArray()
            .add(
                new JsonObject()
                    .put(Fields.TYPE, "policy." + type)
                    .put("timestamp", java.time.Instant.now().toString())
                    .put(Fields.DATA, new JsonObject().put("note", "<b>" + type + "</b>")));
  }

  private void onResponse(Message<JsonObject> message) {
    if (answered(message)) {
      return;
    }
    JsonObject response = message.body().getJsonObject(Fields.RESPONSE);
    if (mode == Mode.UPPERCASE || mode == Mode.REWRITE) {
      JsonObject choiceMessage =
          response.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      choiceMessage.put("content", choiceMessage.getString("content").toUpperCase(Locale.ROOT));
    }
    message.reply(
        new JsonObject()
            .put(Fields.RESPONSE, response)
            .put(Fields.EVENTS, emitted("response_uppercased")));
  }

  private void onSession(Message<JsonObject> message) {
    JsonObject body = message.body();
    String kind = body.getString(Fields.KIND);
    if (Fields.KIND_RESPONSE.equals(kind)) {
      onResponse(message);
      return;
    }
    received.add(message.body().copy());
    if (Fields.KIND_RELEASE.equals(kind)) {
      message.reply(new JsonObject());
      return;
    }
    if (Fields.KIND_CLOSE.equals(body.getString(Fields.KIND))) {
      message.reply(
          new JsonObject()
              .put(Fields.CHUNKS, new JsonArray())
              .put(Fields.EVENTS, emitted("stream_closed")));
      return;
    }
    JsonObject chunk = body.getJsonObject(Fields.CHUNK);
    if (mode == Mode.THROW_ON_SECOND_CHUNK && body.getLong(Fields.SEQ) == 1) {
      message.fail(
          FailureCodes.POLICY_FAILED,
          "TestPolicy.onChunk failed: java.lang.IllegalStateException: chunk boom");
      return;
    }
    if ((mode == Mode.UPPERCASE || mode == Mode.REWRITE)
        && !chunk.getJsonArray("choices").isEmpty()) {
      JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.getValue("content") instanceof String text) {
        delta.put("content", text.toUpperCase(Locale.ROOT));
      }
    }
    message.reply(new JsonObject().put(Fields.CHUNKS, new JsonArray().add(chunk)));
  }
}
