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
 * Plays the policy side of the event-bus contract for gateway tests, so the gateway is tested alone:
 * pass-through, upper-casing, throwing, blocking, or silent (never replies).
 */
final class TestPolicyNode {

  enum Mode { PASS, UPPERCASE, THROW, THROW_ON_SECOND_CHUNK, BLOCK, SILENT }

  private static final String SESSION = "test.policy.session";

  private final Mode mode;
  final List<JsonObject> received = new CopyOnWriteArrayList<>();

  private TestPolicyNode(Mode mode) {
    this.mode = mode;
  }

  static Future<TestPolicyNode> register(Vertx vertx, Mode mode) {
    TestPolicyNode node = new TestPolicyNode(mode);
    return Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.POLICY_REQUEST, node::onRequest).completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.POLICY_RESPONSE, node::onResponse).completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.POLICY_STREAM_OPEN, node::onOpen).completion(),
            vertx.eventBus().<JsonObject>consumer(SESSION, node::onSession).completion())
        .map(node);
  }

  private boolean answered(Message<JsonObject> message) {
    received.add(message.body().copy().put("header_call_id", message.headers().get("call-id")));
    if (mode == Mode.SILENT) {
      return true;
    }
    if (mode == Mode.THROW) {
      message.fail(FailureCodes.POLICY_FAILED, "TestPolicy.onRequest failed: java.lang.IllegalStateException: boom");
      return true;
    }
    return false;
  }

  private void onRequest(Message<JsonObject> message) {
    if (answered(message)) {
      return;
    }
    if (mode == Mode.BLOCK) {
      message.reply(new JsonObject().put(Fields.BLOCKED,
          new JsonObject().put(Fields.STATUS, 403).put(Fields.MESSAGE, "blocked: secrets are not allowed")));
      return;
    }
    message.reply(new JsonObject().put(Fields.REQUEST, message.body().getJsonObject(Fields.REQUEST))
        .put(Fields.EVENTS, new JsonArray()));
  }

  private void onResponse(Message<JsonObject> message) {
    if (answered(message)) {
      return;
    }
    JsonObject response = message.body().getJsonObject(Fields.RESPONSE);
    if (mode == Mode.UPPERCASE) {
      JsonObject choiceMessage = response.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      choiceMessage.put("content", choiceMessage.getString("content").toUpperCase(Locale.ROOT));
    }
    message.reply(new JsonObject().put(Fields.RESPONSE, response));
  }

  private void onOpen(Message<JsonObject> message) {
    if (!answered(message)) {
      message.reply(new JsonObject().put(Fields.SESSION, SESSION));
    }
  }

  private void onSession(Message<JsonObject> message) {
    received.add(message.body().copy());
    JsonObject body = message.body();
    if (Fields.KIND_CLOSE.equals(body.getString(Fields.KIND))) {
      message.reply(new JsonObject().put(Fields.CHUNKS, new JsonArray()));
      return;
    }
    JsonObject chunk = body.getJsonObject(Fields.CHUNK);
    if (mode == Mode.THROW_ON_SECOND_CHUNK && body.getLong(Fields.SEQ) == 1) {
      message.fail(FailureCodes.POLICY_FAILED, "TestPolicy.onChunk failed: java.lang.IllegalStateException: chunk boom");
      return;
    }
    if (mode == Mode.UPPERCASE) {
      JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      if (delta.getValue("content") instanceof String text) {
        delta.put("content", text.toUpperCase(Locale.ROOT));
      }
    }
    message.reply(new JsonObject().put(Fields.CHUNKS, new JsonArray().add(chunk)));
  }
}
