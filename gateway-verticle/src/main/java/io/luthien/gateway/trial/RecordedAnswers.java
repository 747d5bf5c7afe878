package io.luthien.gateway.trial;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.translate.AnthropicResponses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * A recorded original answer, in its client's format, back in the canonical shape the policy saw.
 * An OpenAI chat answer is canonical already (the record only lost the extension keys an OpenAI
 * client never gets); an Anthropic message goes through the same translation as an Anthropic
 * backend's answer. A Responses API answer has no translation back, so it cannot be replayed.
 */
final class RecordedAnswers {

  private RecordedAnswers() {}

  static JsonObject toCanonical(String api, JsonObject recorded) {
    return switch (api) {
      case Fields.API_OPENAI -> recorded.copy();
      case Fields.API_ANTHROPIC -> AnthropicResponses.toCanonical(recorded);
      default ->
          throw ApiError.invalidRequest(
                  "replay_not_supported",
                  Fields.RECORDED_RESPONSE,
                  "replay of a /v1/responses call is not supported")
              .asException();
    };
  }
}
