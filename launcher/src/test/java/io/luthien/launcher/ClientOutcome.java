package io.luthien.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client of either API got from one call, whole or streamed, read the way the client reads
 * it: the assistant's text, its tool calls (name and arguments' JSON text), and why it stopped
 * ({@code finish_reason} for OpenAI clients, {@code stop_reason} for Anthropic ones).
 */
record ClientOutcome(int status, String text, List<ScriptedUpstream.Call> toolCalls, String stop) {

  /** The two client APIs, and how each asks for one user message. */
  enum Api {
    OPENAI("/v1/chat/completions"),
    ANTHROPIC("/v1/messages");

    final String path;

    Api(String path) {
      this.path = path;
    }

    JsonObject request(String model, String userText, boolean stream) {
      JsonObject request =
          new JsonObject()
              .put("model", model)
              .put("stream", stream)
              .put(
                  "messages",
                  new JsonArray()
                      .add(new JsonObject().put("role", "user").put("content", userText)));
      if (this == ANTHROPIC) {
        request.put("max_tokens", 256);
      }
      return request;
    }
  }

  static ClientOutcome read(Api api, boolean stream, HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return new ClientOutcome(response.statusCode(), response.bodyAsString(), List.of(), null);
    }
    if (api == Api.OPENAI) {
      return stream
          ? openAiStream(response.bodyAsString())
          : openAiWhole(response.bodyAsJsonObject());
    }
    return stream
        ? anthropicStream(response.bodyAsString())
        : anthropicWhole(response.bodyAsJsonObject());
  }

  private static ClientOutcome openAiWhole(JsonObject body) {
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    List<ScriptedUpstream.Call> calls = new ArrayList<>();
    JsonArray toolCalls = message.getJsonArray("tool_calls", new JsonArray());
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonObject function = toolCalls.getJsonObject(i).getJsonObject("function");
      calls.add(
          new ScriptedUpstream.Call(function.getString("name"), function.getString("arguments")));
    }
    String content = message.getString("content");
    return new ClientOutcome(
        200, content == null ? "" : content, calls, choice.getString("finish_reason"));
  }

  private static ClientOutcome openAiStream(String body) {
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new LinkedHashMap<>();
    String finish = null;
    for (JsonObject chunk : SdkNode.sseData(body)) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        continue;
      }
      JsonObject choice = choices.getJsonObject(0);
      if (choice.getString("finish_reason") != null) {
        finish = choice.getString("finish_reason");
      }
      JsonObject delta = choice.getJsonObject("delta", new JsonObject());
      if (delta.getString("content") != null) {
        text.append(delta.getString("content"));
      }
      JsonArray fragments = delta.getJsonArray("tool_calls", new JsonArray());
      for (int i = 0; i < fragments.size(); i++) {
        JsonObject fragment = fragments.getJsonObject(i);
        String[] call =
            calls.computeIfAbsent(fragment.getInteger("index", i), index -> new String[] {"", ""});
        JsonObject function = fragment.getJsonObject("function", new JsonObject());
        call[0] += function.getString("name", "");
        call[1] += function.getString("arguments", "");
      }
    }
    return new ClientOutcome(200, text.toString(), calls(calls), finish);
  }

  private static ClientOutcome anthropicWhole(JsonObject body) {
    StringBuilder text = new StringBuilder();
    List<ScriptedUpstream.Call> calls = new ArrayList<>();
    JsonArray content = body.getJsonArray("content");
    for (int i = 0; i < content.size(); i++) {
      JsonObject block = content.getJsonObject(i);
      if ("text".equals(block.getString("type"))) {
        text.append(block.getString("text"));
      } else if ("tool_use".equals(block.getString("type"))) {
        calls.add(
            new ScriptedUpstream.Call(
                block.getString("name"), block.getJsonObject("input").encode()));
      }
    }
    return new ClientOutcome(200, text.toString(), calls, body.getString("stop_reason"));
  }

  private static ClientOutcome anthropicStream(String body) {
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new LinkedHashMap<>();
    String stop = null;
    for (JsonObject event : SdkNode.sseData(body)) {
      switch (event.getString("type", "")) {
        case "content_block_start" -> {
          JsonObject block = event.getJsonObject("content_block");
          if ("tool_use".equals(block.getString("type"))) {
            calls.put(event.getInteger("index"), new String[] {block.getString("name"), ""});
          }
        }
        case "content_block_delta" -> {
          JsonObject delta = event.getJsonObject("delta");
          if ("text_delta".equals(delta.getString("type"))) {
            text.append(delta.getString("text"));
          } else if ("input_json_delta".equals(delta.getString("type"))) {
            calls.get(event.getInteger("index"))[1] += delta.getString("partial_json");
          }
        }
        case "message_delta" -> stop = event.getJsonObject("delta").getString("stop_reason");
        default -> {}
      }
    }
    return new ClientOutcome(200, text.toString(), calls(calls), stop);
  }

  private static List<ScriptedUpstream.Call> calls(Map<Integer, String[]> calls) {
    List<ScriptedUpstream.Call> read = new ArrayList<>();
    for (String[] call : calls.values()) {
      read.add(new ScriptedUpstream.Call(call[0], call[1]));
    }
    return read;
  }

  /** The arguments of the call, parsed, so that two JSON texts of one object compare equal. */
  static JsonObject arguments(ScriptedUpstream.Call call) {
    return new JsonObject(call.arguments());
  }
}
