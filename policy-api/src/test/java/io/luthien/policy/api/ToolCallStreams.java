package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.ChunkAccumulator;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.Usage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Streams and a scripted policy for the tool-call level's tests. */
final class ToolCallStreams {

  static final String ID = "chatcmpl-1";
  static final String MODEL = "gpt-test";

  private ToolCallStreams() {}

  /** A tool-call policy whose verdicts come from {@code decide}; it keeps the calls it saw. */
  static final class Scripted extends ToolCallPolicy {
    final List<ToolCall> seen = new ArrayList<>();
    private final Function<ToolCall, ToolCallVerdict> decide;

    Scripted(Function<ToolCall, ToolCallVerdict> decide) {
      this.decide = decide;
    }

    @Override
    protected Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context) {
      seen.add(call);
      return Future.succeededFuture(decide.apply(call));
    }
  }

  static JsonObject request() {
    return new JsonObject().put("model", MODEL).put("stream", true);
  }

  static JsonObject chunk(JsonObject delta, String finishReason) {
    return Chunks.chunk(ID, 1L, MODEL, delta, finishReason);
  }

  static JsonObject text(String text) {
    return chunk(new JsonObject().put(Canonical.CONTENT, text), null);
  }

  static JsonObject role() {
    return chunk(
        new JsonObject().put(Canonical.ROLE, "assistant").put(Canonical.CONTENT, ""), null);
  }

  /** One fragment: {@code id}, {@code name} and {@code arguments} are left out when null. */
  static JsonObject fragment(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject();
    if (name != null) {
      function.put(Canonical.NAME, name);
    }
    if (arguments != null) {
      function.put(Canonical.ARGUMENTS, arguments);
    }
    JsonObject fragment = new JsonObject().put(Canonical.INDEX, index);
    if (id != null) {
      fragment.put(Canonical.ID, id).put(Canonical.TYPE, "function");
    }
    fragment.put(Canonical.FUNCTION, function);
    return chunk(new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(fragment)), null);
  }

  static JsonObject finish(String reason) {
    return chunk(new JsonObject(), reason);
  }

  static JsonObject usage() {
    return Chunks.usageChunk(ID, 1L, MODEL, Usage.of(12, 34));
  }

  /**
   * The fragments of one call as a stream may cut them: the id alone, the name in two pieces (cut
   * at {@code nameCut}), the arguments in two pieces (cut at {@code argumentsCut}).
   */
  static List<JsonObject> call(int index, ToolCall call, int nameCut, int argumentsCut) {
    String name = call.name();
    String arguments = call.arguments();
    return List.of(
        fragment(index, call.id(), null, null),
        fragment(index, null, name.substring(0, nameCut), ""),
        fragment(index, null, name.substring(nameCut), arguments.substring(0, argumentsCut)),
        fragment(index, null, null, arguments.substring(argumentsCut)));
  }

  static JsonObject accumulate(List<JsonObject> chunks) {
    ChunkAccumulator accumulator = new ChunkAccumulator();
    chunks.forEach(accumulator::add);
    return accumulator.completion();
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
