package io.luthien.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An OpenAI-compatible upstream whose answers a test scripts: the text and tool calls of each
 * answer, decided per request (so a judge model can answer differently from the main one), whole or
 * streamed in pieces of a few characters, so that what a policy holds back crosses chunk borders.
 */
final class ScriptedUpstream {

  /** One answer: its text, its tool calls, and how many characters each streamed piece has. */
  record Answer(String text, List<Call> toolCalls, int pieceChars) {
    static Answer text(String text) {
      return new Answer(text, List.of(), 3);
    }

    Answer withToolCalls(Call... calls) {
      return new Answer(text, List.of(calls), pieceChars);
    }
  }

  /** A tool call of an answer: its name and its arguments' JSON text. */
  record Call(String name, String arguments) {}

  private final HttpServer server;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private volatile Function<JsonObject, Answer> script = request -> Answer.text("hello");

  private ScriptedUpstream(HttpServer server) {
    this.server = server;
  }

  static Future<ScriptedUpstream> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    ScriptedUpstream upstream = new ScriptedUpstream(server);
    server.requestHandler(upstream::handle);
    return server.listen(0, "127.0.0.1").map(listening -> upstream);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  ScriptedUpstream answer(Function<JsonObject, Answer> script) {
    this.script = script;
    return this;
  }

  ScriptedUpstream answerAlways(Answer answer) {
    return answer(request -> answer);
  }

  List<JsonObject> requests() {
    return requests;
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              JsonObject completionRequest = body.toJsonObject();
              requests.add(completionRequest);
              Answer answer = script.apply(completionRequest);
              String model = completionRequest.getString("model");
              if (completionRequest.getBoolean("stream", false)) {
                stream(request.response(), model, answer);
              } else {
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end(whole(model, answer).toBuffer());
              }
            })
        .onFailure(clientLeft -> {}); // the gateway hung up before its body was in
  }

  private static JsonObject whole(String model, Answer answer) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", answer.text());
    if (!answer.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (int i = 0; i < answer.toolCalls().size(); i++) {
        Call call = answer.toolCalls().get(i);
        calls.add(
            new JsonObject()
                .put("id", "call_" + i)
                .put("type", "function")
                .put(
                    "function",
                    new JsonObject().put("name", call.name()).put("arguments", call.arguments())));
      }
      message.put("tool_calls", calls);
    }
    return envelope(model, "chat.completion")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("message", message)
                        .put("finish_reason", finishReason(answer))))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", 10)
                .put("completion_tokens", 20)
                .put("total_tokens", 30));
  }

  private static void stream(HttpServerResponse response, String model, Answer answer) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    StringBuilder events = new StringBuilder();
    events.append(
        event(chunk(model, new JsonObject().put("role", "assistant").put("content", ""))));
    String text = answer.text();
    for (int at = 0; at < text.length(); at += answer.pieceChars()) {
      String piece = text.substring(at, Math.min(text.length(), at + answer.pieceChars()));
      events.append(event(chunk(model, new JsonObject().put("content", piece))));
    }
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      Call call = answer.toolCalls().get(i);
      events.append(
          event(
              chunk(
                  model,
                  toolDelta(
                      i,
                      new JsonObject()
                          .put("id", "call_" + i)
                          .put("type", "function")
                          .put(
                              "function",
                              new JsonObject().put("name", call.name()).put("arguments", ""))))));
      String arguments = call.arguments();
      for (int at = 0; at < arguments.length(); at += answer.pieceChars()) {
        String piece =
            arguments.substring(at, Math.min(arguments.length(), at + answer.pieceChars()));
        events.append(
            event(
                chunk(
                    model,
                    toolDelta(
                        i,
                        new JsonObject()
                            .put("function", new JsonObject().put("arguments", piece))))));
      }
    }
    JsonObject last = chunk(model, new JsonObject());
    last.getJsonArray("choices").getJsonObject(0).put("finish_reason", finishReason(answer));
    events.append(event(last)).append("data: [DONE]\n\n");
    response.end(Buffer.buffer(events.toString()));
  }

  private static String finishReason(Answer answer) {
    return answer.toolCalls().isEmpty() ? "stop" : "tool_calls";
  }

  private static JsonObject toolDelta(int index, JsonObject call) {
    return new JsonObject().put("tool_calls", new JsonArray().add(call.put("index", index)));
  }

  private static JsonObject chunk(String model, JsonObject delta) {
    return envelope(model, "chat.completion.chunk")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject().put("index", 0).put("delta", delta).putNull("finish_reason")));
  }

  private static JsonObject envelope(String model, String object) {
    return new JsonObject()
        .put("id", "chatcmpl-scripted")
        .put("object", object)
        .put("created", 1_700_000_000L)
        .put("model", model);
  }

  private static String event(JsonObject chunk) {
    return "data: " + chunk.encode() + "\n\n";
  }
}
