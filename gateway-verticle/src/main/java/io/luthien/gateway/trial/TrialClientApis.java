package io.luthien.gateway.trial;

import io.luthien.gateway.api.AnthropicClientApi;
import io.luthien.gateway.api.ClientApi;
import io.luthien.gateway.api.OpenAiClientApi;
import io.luthien.gateway.api.RecordedResponses;
import io.luthien.gateway.api.ResponsesClientApi;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The client API a trial's request is written in, by its name. A Responses API request gets one of
 * its own, as on {@code /v1/responses}, with the conversation its {@code previous_response_id}
 * names read back from the recording.
 */
final class TrialClientApis {

  private final RecordedResponses previous;

  TrialClientApis(RecordedResponses previous) {
    this.previous = previous;
  }

  Future<ClientApi> of(String api, String callId, JsonObject request) {
    return switch (api) {
      case Fields.API_OPENAI -> Future.succeededFuture(OpenAiClientApi.INSTANCE);
      case Fields.API_ANTHROPIC -> Future.succeededFuture(AnthropicClientApi.INSTANCE);
      default -> responses(callId, request);
    };
  }

  private Future<ClientApi> responses(String callId, JsonObject request) {
    ResponsesRequests.validate(request);
    if (!(request.getValue("previous_response_id") instanceof String previousId)) {
      return Future.succeededFuture(new ResponsesClientApi(callId, List.of()));
    }
    return previous
        .history(callId, previousId)
        .map(history -> new ResponsesClientApi(callId, history));
  }
}
