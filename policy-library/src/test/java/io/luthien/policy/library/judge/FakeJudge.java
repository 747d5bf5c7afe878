package io.luthien.policy.library.judge;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.policy.api.ModelClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-memory judge model: it answers each request as its script says (canned text, garbage, a
 * delay, an error, silence) and keeps every request and the options it was asked with.
 */
final class FakeJudge implements ModelClient {

  private final Function<JsonObject, Future<JsonObject>> script;
  private final List<JsonObject> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Options> options = Collections.synchronizedList(new ArrayList<>());

  private FakeJudge(Function<JsonObject, Future<JsonObject>> script) {
    this.script = script;
  }

  /** Answers every request with {@code text}. */
  static FakeJudge answering(String text) {
    return new FakeJudge(request -> Future.succeededFuture(completion(text)));
  }

  /** Answers the n-th request with the n-th text, the last one from then on. */
  static FakeJudge answeringInTurn(String... texts) {
    List<String> answers = List.of(texts);
    int[] next = {0};
    return new FakeJudge(
        request -> {
          String text = answers.get(Math.min(next[0]++, answers.size() - 1));
          return Future.succeededFuture(completion(text));
        });
  }

  /** Answers by what the request asks (its last message's text). */
  static FakeJudge answeringBy(Function<String, String> byPrompt) {
    return new FakeJudge(
        request -> {
          JsonArray messages = request.getJsonArray("messages");
          String prompt = messages.getJsonObject(messages.size() - 1).getString("content");
          return Future.succeededFuture(completion(byPrompt.apply(prompt)));
        });
  }

  /** Answers {@code text} after {@code millis}, on a Vert.x timer. */
  static FakeJudge slow(Vertx vertx, long millis, String text) {
    return new FakeJudge(
        request -> vertx.timer(millis, TimeUnit.MILLISECONDS).map(fired -> completion(text)));
  }

  static FakeJudge failing(Throwable failure) {
    return new FakeJudge(request -> Future.failedFuture(failure));
  }

  /** Never answers. */
  static FakeJudge silent() {
    return new FakeJudge(request -> Promise.<JsonObject>promise().future());
  }

  @Override
  public Future<JsonObject> complete(JsonObject request, Options given) {
    requests.add(request.copy());
    options.add(given);
    return script.apply(request);
  }

  List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  List<Options> options() {
    return List.copyOf(options);
  }

  /** The user message of the n-th request. */
  String prompt(int n) {
    return requests().get(n).getJsonArray("messages").getJsonObject(1).getString("content");
  }

  static JsonObject completion(String text) {
    return Completions.completion(
        "chatcmpl-judge", 1, "judge", Completions.choice(0, Messages.assistant(text), "stop"));
  }

  // --- what the judged model answers ---

  static JsonObject request(boolean stream) {
    return new JsonObject()
        .put("model", "gpt-test")
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  /** A whole answer with {@code text} (may be null) and tool calls. */
  static JsonObject answer(String text, JsonObject... calls) {
    JsonObject message = Messages.assistant(text);
    if (calls.length > 0) {
      JsonArray array = new JsonArray();
      for (JsonObject call : calls) {
        array.add(call);
      }
      message.put("tool_calls", array);
    }
    return Completions.completion(
        "chatcmpl-1",
        1,
        "gpt-test",
        Completions.choice(0, message, calls.length > 0 ? "tool_calls" : "stop"));
  }

  static JsonObject textChunk(String text) {
    return Chunks.chunk("chatcmpl-1", 1, "gpt-test", new JsonObject().put("content", text), null);
  }

  static JsonObject roleChunk() {
    return Chunks.chunk(
        "chatcmpl-1",
        1,
        "gpt-test",
        new JsonObject().put("role", "assistant").put("content", ""),
        null);
  }

  /** The first fragment of a tool call (id and name), then pieces of its arguments. */
  static JsonObject toolStart(int index, String id, String name) {
    JsonObject fragment =
        new JsonObject()
            .put("index", index)
            .put("id", id)
            .put("type", "function")
            .put("function", new JsonObject().put("name", name).put("arguments", ""));
    return Chunks.chunk(
        "chatcmpl-1",
        1,
        "gpt-test",
        new JsonObject().put("tool_calls", new JsonArray().add(fragment)),
        null);
  }

  static JsonObject toolArguments(int index, String piece) {
    JsonObject fragment =
        new JsonObject()
            .put("index", index)
            .put("function", new JsonObject().put("arguments", piece));
    return Chunks.chunk(
        "chatcmpl-1",
        1,
        "gpt-test",
        new JsonObject().put("tool_calls", new JsonArray().add(fragment)),
        null);
  }

  static JsonObject finish(String reason) {
    return Chunks.chunk("chatcmpl-1", 1, "gpt-test", new JsonObject(), reason);
  }

  /** The text the client gets from these chunks. */
  static String streamedText(List<JsonObject> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> text.append(Chunks.textDelta(chunk)));
    return text.toString();
  }

  /** The tool calls the client gets from these chunks (each whole in one fragment here). */
  static List<io.luthien.canonical.ToolCallDelta> streamedCalls(List<JsonObject> chunks) {
    List<io.luthien.canonical.ToolCallDelta> calls = new ArrayList<>();
    chunks.forEach(chunk -> calls.addAll(Chunks.toolCallDeltas(chunk)));
    return calls;
  }

  /** The finish reasons the client gets. */
  static List<String> finishReasons(List<JsonObject> chunks) {
    List<String> reasons = new ArrayList<>();
    chunks.forEach(chunk -> reasons.addAll(io.luthien.canonical.Choices.finishReasons(chunk)));
    return reasons;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the policy did not complete: " + e, e);
    }
  }
}
