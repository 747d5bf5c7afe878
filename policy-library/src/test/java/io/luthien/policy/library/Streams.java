package io.luthien.policy.library;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Chunks, answers and splits for the policies' tests. */
final class Streams {

  private Streams() {}

  static JsonObject request(String userText) {
    return new JsonObject()
        .put("model", "m")
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)));
  }

  static JsonObject answer(String text) {
    return Completions.completion(
        "chatcmpl-1", 1, "m", Completions.choice(0, Messages.assistant(text), "stop"));
  }

  static JsonObject toolAnswer(String arguments) {
    JsonObject message =
        new JsonObject()
            .put("role", "assistant")
            .putNull("content")
            .put(
                "tool_calls",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "call_1")
                            .put("type", "function")
                            .put(
                                "function",
                                new JsonObject().put("name", "Bash").put("arguments", arguments))));
    return Completions.completion(
        "chatcmpl-1", 1, "m", Completions.choice(0, message, "tool_calls"));
  }

  static List<JsonObject> textChunks(List<String> pieces) {
    List<JsonObject> chunks = new ArrayList<>();
    chunks.add(Chunks.chunk("c", 1, "m", new JsonObject().put("role", "assistant"), null));
    for (String piece : pieces) {
      chunks.add(Chunks.chunk("c", 1, "m", new JsonObject().put("content", piece), null));
    }
    chunks.add(Chunks.chunk("c", 1, "m", new JsonObject(), "stop"));
    return chunks;
  }

  static List<JsonObject> toolChunks(List<String> pieces) {
    List<JsonObject> chunks = new ArrayList<>();
    chunks.add(
        Chunks.chunk(
            "c",
            1,
            "m",
            new JsonObject()
                .put("role", "assistant")
                .put(
                    "tool_calls",
                    new JsonArray().add(new ToolCallDelta(0, "call_1", "Bash", "").toJson())),
            null));
    for (String piece : pieces) {
      chunks.add(
          Chunks.chunk(
              "c",
              1,
              "m",
              new JsonObject()
                  .put(
                      "tool_calls",
                      new JsonArray().add(new ToolCallDelta(0, null, null, piece).toJson())),
              null));
    }
    chunks.add(Chunks.chunk("c", 1, "m", new JsonObject(), "tool_calls"));
    return chunks;
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The text deltas of the chunks the client gets, one string per chunk. */
  static List<String> streamText(Policy policy, List<String> pieces) {
    PolicyHarness harness = new PolicyHarness(policy, request("hi"));
    return await(harness.stream(textChunks(pieces))).chunks().stream()
        .map(Chunks::textDelta)
        .toList();
  }

  /** The argument pieces of the chunks the client gets, one string per chunk. */
  static List<String> streamArguments(Policy policy, List<String> pieces) {
    PolicyHarness harness = new PolicyHarness(policy, request("hi"));
    return await(harness.stream(toolChunks(pieces))).chunks().stream()
        .map(
            chunk ->
                String.join(
                    "",
                    Chunks.toolCallDeltas(chunk).stream()
                        .map(d -> d.arguments() == null ? "" : d.arguments())
                        .toList()))
        .toList();
  }

  static String wholeText(Policy policy, String text) {
    return Completions.text(await(new PolicyHarness(policy, request("hi")).response(answer(text))));
  }

  static String wholeArguments(Policy policy, String arguments) {
    return Completions.toolCalls(
            await(new PolicyHarness(policy, request("hi")).response(toolAnswer(arguments))))
        .get(0)
        .arguments();
  }

  /** Every way to cut {@code text} in two, and a few ways to cut it in many. */
  static List<List<String>> splits(String text) {
    List<List<String>> splits = new ArrayList<>();
    for (int i = 0; i <= text.length(); i++) {
      splits.add(List.of(text.substring(0, i), text.substring(i)));
    }
    for (int size : new int[] {1, 2, 3, 5, 8, 13}) {
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < text.length(); i += size) {
        pieces.add(text.substring(i, Math.min(text.length(), i + size)));
      }
      splits.add(pieces);
    }
    Random random = new Random(text.length());
    for (int n = 0; n < 8; n++) {
      List<String> pieces = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        int next = Math.min(text.length(), i + 1 + random.nextInt(12));
        pieces.add(text.substring(i, next));
        i = next;
      }
      splits.add(pieces);
    }
    return splits;
  }
}
