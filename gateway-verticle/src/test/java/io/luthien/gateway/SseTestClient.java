package io.luthien.gateway;

import io.luthien.gateway.stream.SseParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A streaming client for tests: sees each SSE event the moment it arrives, and can hang up
 * mid-stream.
 */
final class SseTestClient {

  final HttpClientRequest request;
  final HttpClientResponse response;
  final List<String> events = new CopyOnWriteArrayList<>();
  private final Promise<Void> firstEvent = Promise.promise();
  private final Promise<List<String>> ended = Promise.promise();
  private final Buffer raw = Buffer.buffer();

  private SseTestClient(HttpClientRequest request, HttpClientResponse response) {
    this.request = request;
    this.response = response;
    SseParser parser =
        new SseParser(
            Long.MAX_VALUE,
            data -> {
              events.add(data);
              firstEvent.tryComplete();
            });
    response.handler(
        chunk -> {
          raw.appendBuffer(chunk);
          parser.handle(chunk);
        });
    response.endHandler(v -> ended.tryComplete(events));
    response.exceptionHandler(ended::tryFail);
  }

  static SseTestClient open(HttpClient client, int port, JsonObject body) {
    return open(client, port, "/v1/chat/completions", body);
  }

  static SseTestClient open(HttpClient client, int port, String path, JsonObject body) {
    return open(client, port, path, body, Map.of());
  }

  static SseTestClient open(
      HttpClient client, int port, String path, JsonObject body, Map<String, String> headers) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            .putHeader("content-type", "application/json");
    headers.forEach(options::putHeader);
    Future<SseTestClient> opened =
        client
            .request(options)
            .compose(
                request ->
                    request
                        .send(body.toBuffer())
                        .map(response -> new SseTestClient(request, response)));
    return await(opened);
  }

  Future<Void> firstEvent() {
    return firstEvent.future();
  }

  List<String> awaitEnd() {
    return await(ended.future());
  }

  String rawText() {
    return raw.toString();
  }

  /** The text of every content delta received so far, joined. */
  String assistantText() {
    StringBuilder text = new StringBuilder();
    for (String event : events) {
      if (event.startsWith("{")) {
        JsonArray choices = new JsonObject(event).getJsonArray("choices", new JsonArray());
        if (!choices.isEmpty()) {
          text.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
        }
      }
    }
    return text.toString();
  }

  JsonObject event(int index) {
    return new JsonObject(events.get(index));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }
}
