package io.luthien.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server that plays OpenAI's Responses API ({@code POST /v1/responses}) for tests,
 * whole or streamed (the full event lifecycle, {@code sequence_number} from 0). Its answer: a
 * {@code reasoning} item with {@code encrypted_content} when the request's {@code include} asks for
 * it, a {@code web_search_call} item when the request offers the {@code web_search} tool, then a
 * message saying {@link #TEXT} (streamed a word per delta), or a {@code function_call} of {@code
 * exec_command} when the request's {@code tool_choice} is {@code required}. It can be told to fail
 * with a status and body, and to hold a stream after a number of events until released.
 */
final class FakeResponsesUpstream {

  static final String TEXT = "hello from the responses backend";
  static final String UPSTREAM_ID = "resp_upstream0123";
  static final String ENCRYPTED = "gAAAA-encrypted-reasoning";

  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<MultiMap> headers = new CopyOnWriteArrayList<>();
  private volatile int failStatus;
  private volatile String failBody = "";
  private volatile int holdAfter = -1;
  private volatile Promise<Void> held = Promise.promise();
  private HttpServer server;

  static Future<FakeResponsesUpstream> start(Vertx vertx) {
    FakeResponsesUpstream upstream = new FakeResponsesUpstream();
    return vertx
        .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(upstream::handle)
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              upstream.server = server;
              return upstream;
            });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  List<JsonObject> requests() {
    return requests;
  }

  List<MultiMap> headers() {
    return headers;
  }

  FakeResponsesUpstream failWith(int status, String body) {
    this.failStatus = status;
    this.failBody = body;
    return this;
  }

  /** The next stream stops after {@code events} events until the returned promise completes. */
  Promise<Void> holdAfter(int events) {
    held = Promise.promise();
    holdAfter = events;
    return held;
  }

  private void handle(HttpServerRequest request) {
    request.bodyHandler(
        body -> {
          HttpServerResponse response = request.response();
          if (!request.path().equals("/v1/responses")) {
            response.setStatusCode(404).end();
            return;
          }
          JsonObject json = body.toJsonObject();
          requests.add(json);
          headers.add(request.headers());
          if (failStatus != 0) {
            response
                .setStatusCode(failStatus)
                .putHeader("content-type", "application/json")
                .end(failBody);
          } else if (json.getBoolean("stream", false)) {
            stream(json, response);
          } else {
            response.putHeader("content-type", "application/json").end(completed(json).encode());
          }
        });
  }

  private static List<JsonObject> output(JsonObject request) {
    List<JsonObject> output = new ArrayList<>();
    if (request.getJsonArray("include", new JsonArray()).contains("reasoning.encrypted_content")) {
      output.add(
          new JsonObject()
              .put("id", "rs_1")
              .put("type", "reasoning")
              .put("summary", new JsonArray())
              .put("encrypted_content", ENCRYPTED));
    }
    boolean search =
        request.getJsonArray("tools", new JsonArray()).stream()
            .anyMatch(tool -> "web_search".equals(((JsonObject) tool).getString("type")));
    if (search) {
      output.add(
          new JsonObject()
              .put("id", "ws_1")
              .put("type", "web_search_call")
              .put("status", "completed")
              .put(
                  "action",
                  new JsonObject().put("type", "search").put("query", "luthien gateway")));
    }
    if ("required".equals(request.getValue("tool_choice"))) {
      output.add(
          new JsonObject()
              .put("id", "fc_1")
              .put("type", "function_call")
              .put("status", "completed")
              .put("call_id", "call_1")
              .put("name", "exec_command")
              .put("arguments", "{\"cmd\":\"ls\"}"));
    } else {
      output.add(message(TEXT, "completed"));
    }
    return output;
  }

  private static JsonObject message(String text, String status) {
    JsonArray content = new JsonArray();
    if (text != null) {
      content.add(outputText(text));
    }
    return new JsonObject()
        .put("id", "msg_1")
        .put("type", "message")
        .put("status", status)
        .put("role", "assistant")
        .put("content", content);
  }

  private static JsonObject outputText(String text) {
    return new JsonObject()
        .put("type", "output_text")
        .put("text", text)
        .put("annotations", new JsonArray());
  }

  private static JsonObject envelope(JsonObject request, String status) {
    return new JsonObject()
        .put("id", UPSTREAM_ID)
        .put("object", "response")
        .put("created_at", 1_700_000_000L)
        .put("status", status)
        .put("model", request.getString("model"))
        .put("output", new JsonArray())
        .put("store", request.getBoolean("store", true));
  }

  private static JsonObject completed(JsonObject request) {
    JsonObject response = envelope(request, "completed");
    output(request).forEach(response.getJsonArray("output")::add);
    return response.put(
        "usage",
        new JsonObject()
            .put("input_tokens", 12)
            .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
            .put("output_tokens", 6)
            .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 2))
            .put("total_tokens", 18));
  }

  private List<JsonObject> events(JsonObject request) {
    List<JsonObject> events = new ArrayList<>();
    events.add(event("response.created").put("response", envelope(request, "in_progress")));
    events.add(event("response.in_progress").put("response", envelope(request, "in_progress")));
    List<JsonObject> output = output(request);
    for (int index = 0; index < output.size(); index++) {
      JsonObject item = output.get(index);
      String type = item.getString("type");
      String id = item.getString("id");
      if (type.equals("message")) {
        events.add(added(index, message(null, "in_progress")));
        events.add(part("response.content_part.added", id, index, outputText("")));
        for (String word : words(TEXT)) {
          events.add(part("response.output_text.delta", id, index, null).put("delta", word));
        }
        events.add(part("response.output_text.done", id, index, null).put("text", TEXT));
        events.add(part("response.content_part.done", id, index, outputText(TEXT)));
      } else if (type.equals("function_call")) {
        events.add(added(index, item.copy().put("arguments", "").put("status", "in_progress")));
        String arguments = item.getString("arguments");
        int half = arguments.length() / 2;
        for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
          events.add(
              event("response.function_call_arguments.delta")
                  .put("item_id", id)
                  .put("output_index", index)
                  .put("delta", piece));
        }
        events.add(
            event("response.function_call_arguments.done")
                .put("item_id", id)
                .put("output_index", index)
                .put("arguments", arguments));
      } else if (type.equals("web_search_call")) {
        events.add(added(index, item.copy().put("status", "in_progress")));
        for (String step : List.of("in_progress", "searching", "completed")) {
          events.add(
              event("response.web_search_call." + step)
                  .put("item_id", id)
                  .put("output_index", index));
        }
      } else {
        events.add(added(index, item));
      }
      events.add(event("response.output_item.done").put("output_index", index).put("item", item));
    }
    events.add(event("response.completed").put("response", completed(request)));
    for (int i = 0; i < events.size(); i++) {
      events.get(i).put("sequence_number", i);
    }
    return events;
  }

  private void stream(JsonObject request, HttpServerResponse response) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    List<JsonObject> events = events(request);
    int hold = holdAfter;
    holdAfter = -1;
    int sent = hold < 0 ? events.size() : Math.min(hold, events.size());
    write(events.subList(0, sent), response);
    if (sent == events.size()) {
      response.end();
      return;
    }
    held.future()
        .onComplete(
            released -> {
              write(events.subList(sent, events.size()), response);
              response.end();
            });
  }

  private static void write(List<JsonObject> events, HttpServerResponse response) {
    for (JsonObject event : events) {
      response.write("event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n");
    }
  }

  /** The text a word (and the space after it) at a time. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        words.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    words.add(text.substring(start));
    return words;
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("type", type);
  }

  private static JsonObject added(int index, JsonObject item) {
    return event("response.output_item.added").put("output_index", index).put("item", item);
  }

  private static JsonObject part(String type, String itemId, int index, JsonObject part) {
    JsonObject event =
        event(type).put("item_id", itemId).put("output_index", index).put("content_index", 0);
    return part == null ? event : event.put("part", part);
  }

  /** The whole answer to {@code request}, as this fake sends it. */
  JsonObject expectedAnswer(JsonObject request) {
    return completed(request);
  }

  /** The events of a streamed answer to {@code request}, as this fake sends them. */
  List<JsonObject> expectedEvents(JsonObject request) {
    return events(request);
  }
}
