package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static io.luthien.gateway.translate.Translations.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.error.AnthropicErrors;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anthropic message threads keep the conversation at Anthropic; to another backend they are refused
 * the way the Anthropic SDK recognises, so that it resends the whole conversation unthreaded.
 */
class ThreadTranslationTest {

  @ParameterizedTest(name = "thread {0}")
  @ValueSource(
      strings = {
        "{\"type\": \"create\"}",
        "{\"type\": \"continue\", \"previous_message_id\": \"msg_01Prev\"}"
      })
  void refusedForOpenAiBackend(String thread) {
    JsonObject request =
        json("""
                {"model": "gpt-4o", "max_tokens": 100, "messages": [{"role": "user", "content": [
                  {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18°C"}]}]}""")
            .put("thread", new JsonObject(thread));
    JsonObject canonical = AnthropicRequests.toCanonical(request);

    ApiError error = refusal(() -> OpenAiRequests.forOpenAiBackend(canonical), 400, "thread");

    assertThat(error.code()).isEqualTo("thread_unsupported_request");
    JsonObject body = AnthropicErrors.body(error);
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    assertThat(body.getJsonObject("error").getJsonObject("details"))
        .isEqualTo(new JsonObject().put("error_code", "thread_unsupported_request"));
  }

  @ParameterizedTest(name = "thread {0}")
  @ValueSource(strings = {"{\"type\": \"continue\", \"previous_message_id\": \"msg_01Prev\"}"})
  void keptForAnthropicBackend(String thread) {
    JsonObject request =
        json("""
                {"model": "claude-sonnet-4-5", "max_tokens": 100,
                 "messages": [{"role": "user", "content": "hi"}]}""")
            .put("thread", new JsonObject(thread));

    JsonObject back = AnthropicRequests.fromCanonical(AnthropicRequests.toCanonical(request));

    assertThat(back.getJsonObject("thread")).isEqualTo(new JsonObject(thread));
  }
}
