package io.luthien.policy.library;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.luthien.policy.api.ToolCallPolicy;
import io.luthien.policy.api.ToolCallVerdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Calls, answers and streams for the tests of the shipped tool-call policies. */
final class ToolCalls {

  private ToolCalls() {}

  static PolicyConfig config(String policy, String json) {
    return new PolicyConfig(policy, new JsonObject(json));
  }

  static JsonObject request() {
    return new JsonObject().put("model", "m").put("stream", true);
  }

  static ToolCall call(String name, JsonObject arguments) {
    return new ToolCall("call_" + name, name, arguments.encode());
  }

  static ToolCall bash(String command) {
    return call("Bash", new JsonObject().put("command", command));
  }

  /** The verdict of {@code policy} on {@code call}, and the context it recorded events in. */
  static ToolCallVerdict verdict(ToolCallPolicy policy, ToolCall call, LocalPolicyContext context) {
    JsonObject answer = done(policy.onResponse(answer(null, call), context));
    return verdictOf(answer, call);
  }

  static ToolCallVerdict verdict(ToolCallPolicy policy, ToolCall call) {
    return verdict(policy, call, new PolicyHarness(policy, request()).context());
  }

  /** Reads back what happened to the one call of a whole answer. */
  private static ToolCallVerdict verdictOf(JsonObject answer, ToolCall call) {
    if (Completions.toolCalls(answer).contains(call)) {
      return ToolCallVerdict.pass();
    }
    return ToolCallVerdict.replace(Completions.text(answer));
  }

  static JsonObject answer(String text, ToolCall... calls) {
    JsonArray items = new JsonArray();
    for (ToolCall call : calls) {
      items.add(call.toJson());
    }
    JsonObject message =
        new JsonObject()
            .put(Canonical.ROLE, "assistant")
            .put(Canonical.CONTENT, text)
            .put(Canonical.TOOL_CALLS, items);
    return Completions.completion(
        "chatcmpl-1", 1L, "m", Completions.choice(0, message, "tool_calls"));
  }

  /** A stream of {@code text} and each call in three fragments, finishing with tool_calls. */
  static List<JsonObject> stream(String text, ToolCall... calls) {
    List<JsonObject> chunks = new ArrayList<>();
    chunks.add(
        Chunks.chunk("chatcmpl-1", 1L, "m", new JsonObject().put(Canonical.CONTENT, text), null));
    for (int i = 0; i < calls.length; i++) {
      String arguments = calls[i].arguments();
      int half = arguments.length() / 2;
      chunks.add(fragment(new ToolCallDelta(i, calls[i].id(), calls[i].name(), "")));
      chunks.add(fragment(new ToolCallDelta(i, null, null, arguments.substring(0, half))));
      chunks.add(fragment(new ToolCallDelta(i, null, null, arguments.substring(half))));
    }
    chunks.add(Chunks.chunk("chatcmpl-1", 1L, "m", new JsonObject(), "tool_calls"));
    return chunks;
  }

  private static JsonObject fragment(ToolCallDelta delta) {
    return Chunks.chunk(
        "chatcmpl-1",
        1L,
        "m",
        new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(delta.toJson())),
        null);
  }

  static <T> T done(Future<T> future) {
    if (future.failed()) {
      throw new AssertionError("the future failed", future.cause());
    }
    if (!future.isComplete()) {
      throw new AssertionError("the future is not complete");
    }
    return future.result();
  }
}
