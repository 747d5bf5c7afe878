package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.luthien.gateway.stream.ClientStream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The wire format a client speaks (OpenAI chat completions or Anthropic Messages): how its request
 * is read and turned into the canonical shape the policies and providers see, and how canonical
 * answers, stream chunks and errors are turned back into its own format. Calls are recorded in the
 * client's format.
 */
public interface ClientApi {

  /**
   * {@code openai} or {@code anthropic}: the {@code api} of the call's record, telemetry and policy
   * messages.
   */
  String name();

  /**
   * Checks the request read from the body; refuses it with a {@link GatewayException} naming the
   * offending field.
   */
  void validate(JsonObject request);

  /**
   * {@code http} is the client's HTTP request: some of its headers and its query belong to the
   * request's meaning.
   */
  JsonObject toCanonical(JsonObject clientRequest, HttpServerRequest http);

  /**
   * A request that came without HTTP (a policy trial's): what only headers or the query would say
   * is left out.
   */
  JsonObject toCanonical(JsonObject clientRequest);

  /** A canonical request (the policy's final version) in the client's format, for the record. */
  JsonObject clientRequest(JsonObject canonicalRequest);

  JsonObject clientResponse(JsonObject canonicalResponse, String requestModel);

  /** A new writer for one streamed answer. */
  ClientStream newStream();

  /**
   * A new writer for the streamed answer to {@code request} (the canonical request as sent
   * upstream), for a format where what the client asked changes the stream's shape.
   */
  default ClientStream newStream(JsonObject request) {
    return newStream();
  }

  JsonObject errorBody(ApiError error);

  /** The API of a request path: {@code /v1/messages} is Anthropic's, everything else OpenAI's. */
  static ClientApi forPath(String path) {
    return path != null && path.startsWith(AnthropicClientApi.PATH)
        ? AnthropicClientApi.INSTANCE
        : OpenAiClientApi.INSTANCE;
  }
}
