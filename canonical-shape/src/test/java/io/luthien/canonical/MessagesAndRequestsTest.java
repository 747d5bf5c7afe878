package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessagesAndRequestsTest {

  private static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject textPart(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  @Test
  @DisplayName(
      "a message's text is its string content, or the text of its parts joined; no content is null")
  void messageText() {
    JsonArray parts =
        new JsonArray()
            .add(textPart("What is in "))
            .add(
                new JsonObject()
                    .put("type", "image_url")
                    .put("image_url", new JsonObject().put("url", "https://example.com/cat.png")))
            .add(textPart("this?"));

    assertThat(Messages.text(message("user", "hello"))).isEqualTo("hello");
    assertThat(Messages.text(message("user", parts))).isEqualTo("What is in this?");
    assertThat(Messages.text(message("user", new JsonArray()))).isEmpty();
    assertThat(Messages.text(message("assistant", null))).isNull();
    assertThat(Messages.text(null)).isNull();
  }

  @Test
  @DisplayName("an assistant message is built with its role and text, and its role reads back")
  void assistant() {
    JsonObject message = Messages.assistant("Hi!");

    assertThat(message).isEqualTo(new JsonObject().put("role", "assistant").put("content", "Hi!"));
    assertThat(Messages.role(message)).isEqualTo("assistant");
  }

  @Test
  @DisplayName("a message's tool calls are read in order, with what is missing as null")
  void toolCalls() {
    JsonObject message =
        message("assistant", null)
            .put(
                "tool_calls",
                new JsonArray()
                    .add(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}").toJson())
                    .add(new JsonObject().put("id", "call_2")));

    assertThat(Messages.toolCalls(message))
        .containsExactly(
            new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_2", null, null));
    assertThat(Messages.toolCalls(message("assistant", "no tools"))).isEmpty();
  }

  @Test
  @DisplayName(
      "a request's messages are listed in order, and the last user message's text is found")
  void requestMessages() {
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o")
            .put(
                "messages",
                new JsonArray()
                    .add(message("system", "be brief"))
                    .add(message("user", "first"))
                    .add(message("assistant", "answer"))
                    .add(
                        message(
                            "user",
                            new JsonArray().add(textPart("second ")).add(textPart("question"))))
                    .add(message("tool", "result")));

    assertThat(Requests.messages(request))
        .extracting(Messages::role)
        .containsExactly("system", "user", "assistant", "user", "tool");
    assertThat(Requests.lastUserText(request)).isEqualTo("second question");
  }

  @Test
  @DisplayName("without a user message, or when it has no text, the last user text is empty")
  void noUserText() {
    JsonObject systemOnly =
        new JsonObject().put("messages", new JsonArray().add(message("system", "x")));
    JsonObject nullContent =
        new JsonObject().put("messages", new JsonArray().add(message("user", null)));

    assertThat(Requests.lastUserText(systemOnly)).isEmpty();
    assertThat(Requests.lastUserText(nullContent)).isEmpty();
    assertThat(Requests.lastUserText(new JsonObject())).isEmpty();
    assertThat(Requests.messages(new JsonObject())).isEmpty();
  }
}
