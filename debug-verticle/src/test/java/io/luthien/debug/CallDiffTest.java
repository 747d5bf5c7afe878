package io.luthien.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CallDiffTest {

  @Test
  @DisplayName("a call the policy left alone is unchanged everywhere and has empty patches")
  void unchangedCall() {
    JsonObject request = request(user("Hello"));
    JsonObject response = completion("Hi there", "stop");

    JsonObject diff =
        CallDiff.compute(
            requestPayload(request, request.copy()), responsePayload(response, response.copy()));

    JsonObject requestDiff = diff.getJsonObject("request");
    assertThat(requestDiff.getBoolean("changed")).isFalse();
    assertThat(requestDiff.getValue("blocked")).isNull();
    assertThat(requestDiff.getJsonObject("original")).isEqualTo(request);
    assertThat(requestDiff.getJsonObject("final")).isEqualTo(request);
    assertThat(statuses(requestDiff.getJsonArray("messages"))).containsExactly("unchanged");
    assertThat(statuses(requestDiff.getJsonArray("parameters"))).containsOnly("unchanged");
    JsonObject responseDiff = diff.getJsonObject("response");
    assertThat(responseDiff.getBoolean("changed")).isFalse();
    assertThat(responseDiff.getInteger("status")).isEqualTo(200);
    assertThat(responseDiff.getValue("error")).isNull();
    JsonObject choice = responseDiff.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("status")).isEqualTo("unchanged");
    assertThat(choice.getJsonObject("content"))
        .isEqualTo(
            new JsonObject()
                .put("original", "Hi there")
                .put("final", "Hi there")
                .put("changed", false));
    assertThat(choice.getJsonObject("tool_calls"))
        .isEqualTo(new JsonObject().putNull("original").putNull("final").put("changed", false));
    assertThat(choice.getJsonObject("finish_reason").getBoolean("changed")).isFalse();
    assertThat(diff.getJsonObject("json_patch"))
        .isEqualTo(
            new JsonObject().put("request", new JsonArray()).put("response", new JsonArray()));
  }

  @Test
  @DisplayName(
      "upper-casing the last message and the answer shows both as changed, with replace operations")
  void allCaps() {
    JsonObject request = request(user("hello"));
    JsonObject response = completion("hi there", "stop");
    JsonObject finalRequest = request.copy();
    finalRequest.getJsonArray("messages").getJsonObject(0).put("content", "HELLO");
    JsonObject finalResponse = completion("HI THERE", "stop");

    JsonObject diff =
        CallDiff.compute(
            requestPayload(request, finalRequest), responsePayload(response, finalResponse));

    JsonObject requestDiff = diff.getJsonObject("request");
    assertThat(requestDiff.getBoolean("changed")).isTrue();
    assertThat(requestDiff.getJsonArray("messages").getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("index", 0)
                .put("status", "changed")
                .put("original", user("hello"))
                .put("final", user("HELLO")));
    assertThat(statuses(requestDiff.getJsonArray("parameters"))).containsOnly("unchanged");
    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(diff.getJsonObject("response").getBoolean("changed")).isTrue();
    assertThat(choice.getString("status")).isEqualTo("changed");
    assertThat(choice.getJsonObject("content"))
        .isEqualTo(
            new JsonObject()
                .put("original", "hi there")
                .put("final", "HI THERE")
                .put("changed", true));
    assertThat(choice.getJsonObject("finish_reason").getBoolean("changed")).isFalse();
    assertThat(diff.getJsonObject("json_patch").getJsonArray("request"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("op", "replace")
                        .put("path", "/messages/0/content")
                        .put("value", "HELLO")));
    assertThat(diff.getJsonObject("json_patch").getJsonArray("response"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("op", "replace")
                        .put("path", "/choices/0/message/content")
                        .put("value", "HI THERE")));
  }

  @Test
  @DisplayName("an appended system message is added and a dropped trailing message is removed")
  void addedAndRemovedMessages() {
    JsonObject withReminder = request(user("hi"), system("Answer briefly."));
    JsonObject asked = request(user("hi"));

    JsonObject added =
        CallDiff.compute(requestPayload(asked, withReminder), null).getJsonObject("request");
    JsonObject removed =
        CallDiff.compute(requestPayload(withReminder, asked), null).getJsonObject("request");

    assertThat(added.getJsonArray("messages").getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("index", 1)
                .put("status", "added")
                .putNull("original")
                .put("final", system("Answer briefly.")));
    assertThat(statuses(added.getJsonArray("messages"))).containsExactly("unchanged", "added");
    assertThat(removed.getJsonArray("messages").getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("index", 1)
                .put("status", "removed")
                .put("original", system("Answer briefly."))
                .putNull("final"));
    assertThat(statuses(removed.getJsonArray("messages"))).containsExactly("unchanged", "removed");
  }

  @Test
  @DisplayName(
      "messages are compared by position: a system message put first shifts every message after it")
  void prependedMessageComparedByPosition() {
    JsonObject diff =
        CallDiff.compute(
            requestPayload(request(user("hi")), request(system("Be kind."), user("hi"))), null);

    assertThat(statuses(diff.getJsonObject("request").getJsonArray("messages")))
        .containsExactly("changed", "added");
    assertThat(
            diff.getJsonObject("json_patch")
                .getJsonArray("request")
                .getJsonObject(0)
                .getString("path"))
        .startsWith("/messages/");
  }

  @Test
  @DisplayName(
      "every parameter is listed by name: a changed model and max_tokens, an added temperature, the rest unchanged")
  void parameters() {
    JsonObject original = request(user("hi")).put("max_tokens", 100).put("stream", false);
    JsonObject revised =
        request(user("hi"))
            .put("model", "gpt-4o-mini")
            .put("max_tokens", 50)
            .put("stream", false)
            .put("temperature", 0.2);

    JsonArray parameters =
        CallDiff.compute(requestPayload(original, revised), null)
            .getJsonObject("request")
            .getJsonArray("parameters");

    assertThat(parameters)
        .isEqualTo(
            new JsonArray()
                .add(parameter("max_tokens", "changed", 100, 50))
                .add(parameter("model", "changed", "gpt-4o", "gpt-4o-mini"))
                .add(parameter("stream", "unchanged", false, false))
                .add(parameter("temperature", "added", null, 0.2)));
  }

  @Test
  @DisplayName("a parameter the policy dropped is removed")
  void removedParameter() {
    JsonObject original = request(user("hi")).put("temperature", 0.7);

    JsonArray parameters =
        CallDiff.compute(requestPayload(original, request(user("hi"))), null)
            .getJsonObject("request")
            .getJsonArray("parameters");

    assertThat(parameters).contains(parameter("temperature", "removed", 0.7, null));
  }

  @Test
  @DisplayName("tool calls the policy rewrote are shown side by side as changed")
  void toolCallsChanged() {
    JsonArray originalCalls =
        new JsonArray().add(toolCall("call_1", "delete_files", "{\"path\":\"/\"}"));
    JsonArray finalCalls =
        new JsonArray().add(toolCall("call_1", "delete_files", "{\"path\":\"/tmp/x\"}"));
    JsonObject original = completion(null, "tool_calls");
    original
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .put("tool_calls", originalCalls);
    JsonObject revised = completion(null, "tool_calls");
    revised
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .put("tool_calls", finalCalls);

    JsonObject diff =
        CallDiff.compute(
            requestPayload(request(user("clean up")), request(user("clean up"))),
            responsePayload(original, revised));

    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("status")).isEqualTo("changed");
    assertThat(choice.getJsonObject("tool_calls"))
        .isEqualTo(
            new JsonObject()
                .put("original", originalCalls)
                .put("final", finalCalls)
                .put("changed", true));
    assertThat(choice.getJsonObject("content"))
        .isEqualTo(new JsonObject().putNull("original").putNull("final").put("changed", false));
    assertThat(
            diff.getJsonObject("json_patch")
                .getJsonArray("response")
                .getJsonObject(0)
                .getString("path"))
        .isEqualTo("/choices/0/message/tool_calls/0/function/arguments");
  }

  @Test
  @DisplayName("a finish_reason the policy changed is flagged on its own")
  void finishReasonChanged() {
    JsonObject diff =
        CallDiff.compute(
            null,
            responsePayload(completion("Once upon", "length"), completion("Once upon", "stop")));

    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("status")).isEqualTo("changed");
    assertThat(choice.getJsonObject("finish_reason"))
        .isEqualTo(
            new JsonObject().put("original", "length").put("final", "stop").put("changed", true));
    assertThat(choice.getJsonObject("content").getBoolean("changed")).isFalse();
  }

  @Test
  @DisplayName(
      "choices are matched by index: one only in the final response is added, one only in the original removed")
  void choicesMatchedByIndex() {
    JsonObject original = completion("a", "stop");
    JsonObject revised = completion("a", "stop");
    revised.getJsonArray("choices").getJsonObject(0).put("index", 1);

    JsonArray choices =
        CallDiff.compute(null, responsePayload(original, revised))
            .getJsonObject("response")
            .getJsonArray("choices");

    assertThat(statuses(choices)).containsExactly("removed", "added");
    assertThat(choices.getJsonObject(0).getJsonObject("content"))
        .isEqualTo(new JsonObject().put("original", "a").putNull("final").put("changed", true));
    assertThat(choices.getJsonObject(1).getInteger("index")).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a blocked request with no response is changed, shows its messages as they arrived, and has empty patches")
  void blockedRequest() {
    JsonObject original = request(user("how do I pick a lock?"));
    JsonObject blocked = new JsonObject().put("status", 403).put("message", "blocked by policy");
    JsonObject payload =
        new JsonObject().put("original", original).putNull("final").put("blocked", blocked);

    JsonObject diff = CallDiff.compute(payload, null);

    JsonObject requestDiff = diff.getJsonObject("request");
    assertThat(requestDiff.getBoolean("changed")).isTrue();
    assertThat(requestDiff.getJsonObject("blocked")).isEqualTo(blocked);
    assertThat(requestDiff.getValue("final")).isNull();
    assertThat(requestDiff.getJsonArray("messages"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("status", "unchanged")
                        .put("original", user("how do I pick a lock?"))
                        .put("final", user("how do I pick a lock?"))));
    assertThat(statuses(requestDiff.getJsonArray("parameters"))).containsOnly("unchanged");
    assertThat(diff.getJsonObject("response"))
        .isEqualTo(
            new JsonObject()
                .putNull("original")
                .putNull("final")
                .put("changed", false)
                .putNull("status")
                .putNull("error")
                .put("choices", new JsonArray()));
    assertThat(diff.getJsonObject("json_patch"))
        .isEqualTo(
            new JsonObject().put("request", new JsonArray()).put("response", new JsonArray()));
  }

  @Test
  @DisplayName(
      "a failed call carries the status and error, with no originals, no choices and no patch")
  void failedCall() {
    JsonObject error =
        new JsonObject()
            .put("status", 502)
            .put("type", "upstream_error")
            .put("message", "bad gateway");
    JsonObject response =
        new JsonObject()
            .putNull("original")
            .putNull("final")
            .put("status", 502)
            .put("error", error);

    JsonObject responseDiff =
        CallDiff.compute(requestPayload(request(user("hi")), request(user("hi"))), response)
            .getJsonObject("response");

    assertThat(responseDiff)
        .isEqualTo(
            new JsonObject()
                .putNull("original")
                .putNull("final")
                .put("changed", false)
                .put("status", 502)
                .put("error", error)
                .put("choices", new JsonArray()));
  }

  @Test
  @DisplayName(
      "array content parts are compared as data in requests and read as joined text in responses")
  void arrayContentParts() {
    JsonObject original =
        request(
            new JsonObject()
                .put("role", "user")
                .put(
                    "content",
                    new JsonArray()
                        .add(textPart("What is in "))
                        .add(
                            new JsonObject()
                                .put("type", "image_url")
                                .put(
                                    "image_url",
                                    new JsonObject().put("url", "https://example.com/cat.png")))
                        .add(textPart("this?"))));
    JsonObject revised = original.copy();
    revised
        .getJsonArray("messages")
        .getJsonObject(0)
        .getJsonArray("content")
        .getJsonObject(2)
        .put("text", "THIS?");
    JsonObject response = completion(null, "stop");
    response
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .put("content", new JsonArray().add(textPart("A ")).add(textPart("cat.")));

    JsonObject diff =
        CallDiff.compute(
            requestPayload(original, revised), responsePayload(response, response.copy()));

    assertThat(statuses(diff.getJsonObject("request").getJsonArray("messages")))
        .containsExactly("changed");
    assertThat(diff.getJsonObject("json_patch").getJsonArray("request"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("op", "replace")
                        .put("path", "/messages/0/content/2/text")
                        .put("value", "THIS?")));
    assertThat(
            diff.getJsonObject("response")
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("content"))
        .isEqualTo(
            new JsonObject()
                .put("original", "A cat.")
                .put("final", "A cat.")
                .put("changed", false));
  }

  @Test
  @DisplayName("text with <script> tags and quotes comes back unchanged, as plain data")
  void markupSurvivesAsData() {
    String hostile = "<script>alert(\"x\")</script> it's \\\"quoted\\\" & </div>";
    JsonObject request = request(user(hostile));
    JsonObject response = completion(hostile, "stop");

    JsonObject diff =
        new JsonObject(
            CallDiff.compute(
                    requestPayload(request, request.copy()),
                    responsePayload(response, response.copy()))
                .encode());

    assertThat(
            diff.getJsonObject("request")
                .getJsonArray("messages")
                .getJsonObject(0)
                .getJsonObject("final")
                .getString("content"))
        .isEqualTo(hostile);
    assertThat(
            diff.getJsonObject("response")
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("content"))
        .isEqualTo(
            new JsonObject().put("original", hostile).put("final", hostile).put("changed", false));
    assertThat(diff.getJsonObject("json_patch").getJsonArray("response")).isEmpty();
  }

  @Test
  @DisplayName(
      "computing a diff leaves the payloads as they were, and editing the diff does not reach them")
  void inputsUntouched() {
    JsonObject requestPayload = requestPayload(request(user("hi")), request(user("HI")));
    JsonObject responsePayload =
        responsePayload(completion("yo", "stop"), completion("YO", "stop"));
    JsonObject requestBefore = requestPayload.copy();
    JsonObject responseBefore = responsePayload.copy();

    JsonObject diff = CallDiff.compute(requestPayload, responsePayload);
    diff.getJsonObject("request").getJsonObject("original").getJsonArray("messages").clear();
    diff.getJsonObject("request")
        .getJsonArray("messages")
        .getJsonObject(0)
        .getJsonObject("final")
        .put("content", "x");
    diff.getJsonObject("response").getJsonObject("final").put("id", "tampered");

    assertThat(requestPayload).isEqualTo(requestBefore);
    assertThat(responsePayload).isEqualTo(responseBefore);
  }

  @Test
  @DisplayName("numbers equal in value are the same parameter, whatever their Java type")
  void numbersCompareByValue() {
    JsonObject original = request(user("hi")).put("max_tokens", 100);
    JsonObject revised = request(user("hi")).put("max_tokens", 100L);

    JsonObject diff = CallDiff.compute(requestPayload(original, revised), null);

    JsonObject requestDiff = diff.getJsonObject("request");
    assertThat(requestDiff.getBoolean("changed")).isFalse();
    assertThat(statuses(requestDiff.getJsonArray("parameters"))).containsOnly("unchanged");
    assertThat(diff.getJsonObject("json_patch").getJsonArray("request")).isEmpty();
  }

  @Test
  @DisplayName("with neither payload the diff still has its whole shape, empty")
  void noPayloads() {
    JsonObject diff = CallDiff.compute(null, null);

    assertThat(diff.getJsonObject("request"))
        .isEqualTo(
            new JsonObject()
                .putNull("original")
                .putNull("final")
                .put("changed", false)
                .putNull("blocked")
                .put("messages", new JsonArray())
                .put("parameters", new JsonArray()));
    assertThat(diff.getJsonObject("response").getJsonArray("choices")).isEmpty();
    assertThat(diff.getJsonObject("json_patch"))
        .isEqualTo(
            new JsonObject().put("request", new JsonArray()).put("response", new JsonArray()));
  }

  private static JsonObject request(JsonObject... messages) {
    JsonArray array = new JsonArray();
    for (JsonObject message : messages) {
      array.add(message);
    }
    return new JsonObject().put("model", "gpt-4o").put("messages", array);
  }

  private static JsonObject user(String content) {
    return new JsonObject().put("role", "user").put("content", content);
  }

  private static JsonObject system(String content) {
    return new JsonObject().put("role", "system").put("content", content);
  }

  private static JsonObject textPart(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static JsonObject completion(String content, String finishReason) {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion")
        .put("model", "gpt-4o")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", finishReason)))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", 5)
                .put("completion_tokens", 2)
                .put("total_tokens", 7));
  }

  private static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  private static JsonObject requestPayload(JsonObject original, JsonObject revised) {
    return new JsonObject().put("original", original).put("final", revised);
  }

  private static JsonObject responsePayload(JsonObject original, JsonObject revised) {
    return new JsonObject().put("original", original).put("final", revised).put("status", 200);
  }

  private static JsonObject parameter(String name, String status, Object original, Object revised) {
    return new JsonObject()
        .put("name", name)
        .put("status", status)
        .put("original", original)
        .put("final", revised);
  }

  private static List<String> statuses(JsonArray entries) {
    return entries.stream().map(entry -> ((JsonObject) entry).getString("status")).toList();
  }

  @Test
  @DisplayName(
      "an Anthropic call: system and content blocks compared like any request, the message read as choice 0")
  void anthropicMessages() {
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-5")
            .put("max_tokens", 256)
            .put("system", "be brief")
            .put(
                "messages",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "text")
                                            .put("text", "hello")))));
    JsonObject finalRequest = request.copy().put("system", "BE BRIEF");
    JsonObject response = anthropicMessage("hi there", "end_turn");
    JsonObject finalResponse = anthropicMessage("HI THERE", "end_turn");

    JsonObject diff =
        CallDiff.compute(
            requestPayload(request, finalRequest), responsePayload(response, finalResponse));

    JsonObject requestDiff = diff.getJsonObject("request");
    assertThat(statuses(requestDiff.getJsonArray("messages"))).containsExactly("unchanged");
    assertThat(
            requestDiff.getJsonArray("parameters").stream()
                .map(JsonObject.class::cast)
                .filter(parameter -> "changed".equals(parameter.getString("status")))
                .map(parameter -> parameter.getString("name")))
        .containsExactly("system");
    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("status")).isEqualTo("changed");
    assertThat(choice.getJsonObject("content"))
        .isEqualTo(
            new JsonObject()
                .put("original", "hi there")
                .put("final", "HI THERE")
                .put("changed", true));
    assertThat(choice.getJsonObject("finish_reason"))
        .isEqualTo(
            new JsonObject()
                .put("original", "end_turn")
                .put("final", "end_turn")
                .put("changed", false));
    JsonObject toolUse =
        new JsonObject()
            .put("type", "tool_use")
            .put("id", "toolu_1")
            .put("name", "get_weather")
            .put("input", new JsonObject().put("city", "Paris"));
    JsonObject withTool = anthropicMessage("", "tool_use");
    withTool.getJsonArray("content").add(toolUse);
    JsonObject toolDiff =
        CallDiff.compute(
                requestPayload(request, request.copy()), responsePayload(withTool, withTool))
            .getJsonObject("response")
            .getJsonArray("choices")
            .getJsonObject(0);
    assertThat(toolDiff.getJsonObject("tool_calls").getJsonArray("final")).containsExactly(toolUse);
  }

  private static JsonObject anthropicMessage(String text, String stopReason) {
    return new JsonObject()
        .put("id", "msg_1")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", "claude-sonnet-4-5")
        .put("stop_reason", stopReason)
        .put("stop_sequence", null)
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
        .put("usage", new JsonObject().put("input_tokens", 5).put("output_tokens", 3));
  }
}
