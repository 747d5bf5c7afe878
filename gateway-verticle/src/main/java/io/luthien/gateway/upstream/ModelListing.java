package io.luthien.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider's own model list, {@code GET {base}/v1/models} (Anthropic: {@code type, id,
 * display_name, created_at}) or {@code GET {base}/models} (OpenAI: {@code id, created}), read
 * within a fixed time. Anything but a 200 with a {@code data} array fails.
 */
final class ModelListing {

  /** How long a listing may take, connection included: {@code GET /v1/models} waits for it. */
  static final long TIMEOUT_MILLIS = 3_000;

  private final HttpClient client;
  private final UpstreamAddress address;
  private final Map<String, String> headers;

  ModelListing(HttpClient client, UpstreamAddress address, Map<String, String> headers) {
    this.client = client;
    this.address = address;
    this.headers = Map.copyOf(headers);
  }

  Future<List<ProviderModel>> list() {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(address.host())
            .setPort(address.port())
            .setSsl(address.ssl())
            .setURI(address.path())
            .setConnectTimeout(TIMEOUT_MILLIS)
            .setIdleTimeout(TIMEOUT_MILLIS);
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(ModelListing::body)
        .map(ModelListing::parse);
  }

  private static Future<Buffer> body(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return response
          .body()
          .transform(
              ignored ->
                  Future.failedFuture(
                      "the provider's model list answered " + response.statusCode()));
    }
    return response.body();
  }

  static List<ProviderModel> parse(Buffer body) {
    if (!(Json.decodeValue(body) instanceof JsonObject list)
        || !(list.getValue("data") instanceof JsonArray data)) {
      throw new IllegalStateException("the provider's model list has no 'data' array");
    }
    List<ProviderModel> models = new ArrayList<>();
    for (Object value : data) {
      if (value instanceof JsonObject model && model.getValue("id") instanceof String id) {
        String name = model.getValue("display_name") instanceof String shown ? shown : id;
        models.add(new ProviderModel(id, name, created(model)));
      }
    }
    return models;
  }

  private static long created(JsonObject model) {
    if (model.getValue("created") instanceof Number seconds) {
      return seconds.longValue();
    }
    if (model.getValue("created_at") instanceof String at) {
      try {
        return Instant.parse(at).getEpochSecond();
      } catch (DateTimeParseException e) {
        return 0;
      }
    }
    return 0;
  }
}
