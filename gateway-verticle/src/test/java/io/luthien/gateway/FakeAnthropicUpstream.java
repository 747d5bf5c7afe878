package io.luthien.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that plays Anthropic's Messages API for tests: {@code POST /v1/messages},
 * whole or as the full SSE event lifecycle. With client tools in the request and no tool result in
 * its last message, it answers with a text block and a {@code tool_use} of the first client tool
 * (input {@code {"city":"Paris"}}, streamed as two {@code input_json_delta}s); otherwise with
 * {@link #TEXT_PARTS} as text. It can be told to fail with an Anthropic error body, or to send an
 * {@code error} event in the middle of a stream.
 */
public final class FakeAnthropicUpstream {

  public static final List<String> TEXT_PARTS = List.of("Hello", " from", " Claude");
  public static final String TOOL_USE_ID = "toolu_01FakeToolUse";
  public static final String MESSAGE_ID = "msg_01FakeMessage";

  /** What {@code count_tokens} answers, whatever it is asked. */
  public static final int COUNTED_TOKENS = 4242;

  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<MultiMap> requestHeaders = new CopyOnWriteArrayList<>();
  private final List<String> requestUris = new CopyOnWriteArrayList<>();
  private volatile int failStatus;
  private volatile String failType;
  private volatile boolean errorMidStream;
  private volatile String rawStreamType;
  private volatile Buffer rawStreamBody;
  private volatile JsonArray leadingBlocks = new JsonArray();
  private final AtomicInteger openAnswers = new AtomicInteger();
  private HttpServer server;

  public static Future<FakeAnthropicUpstream> start(Vertx vertx) {
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream();
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

  /** The value for {@code ANTHROPIC_BASE_URL}: like Anthropic's own, without {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<JsonObject> requests() {
    return requests;
  }

  public List<MultiMap> requestHeaders() {
    return requestHeaders;
  }

  /** The path and query of every request, {@code count_tokens} ones included. */
  public List<String> requestUris() {
    return requestUris;
  }

  /** Answers every request with this status and an Anthropic error body of this type. */
  public FakeAnthropicUpstream failWith(int status, String type) {
    this.failStatus = status;
    this.failType = type;
    return this;
  }

  /** Streams send an {@code overloaded_error} event after their first text delta. */
  public FakeAnthropicUpstream errorMidStream() {
    this.errorMidStream = true;
    return this;
  }

  /**
   * Stream requests are answered 200 with this Content-Type and these bytes, whatever they are, and
   * the body ends.
   */
  public FakeAnthropicUpstream answerStreamsRaw(String contentType, Buffer body) {
    this.rawStreamType = contentType;
    this.rawStreamBody = body;
    return this;
  }

  /**
   * Every answer starts with these content blocks (thinking, server tool use and results...), whole
   * or streamed as Anthropic streams them: a thinking block's text and signature as deltas, a
   * server tool's input as one {@code input_json_delta}, any other block whole in its start event.
   */
  public FakeAnthropicUpstream leadWith(JsonArray blocks) {
    this.leadingBlocks = blocks;
    return this;
  }

  /** The {@code message_start} event of a stream, as this fake sends it. */
  public static String messageStartEvent(String model) {
    return "event: message_start\ndata: " + messageStart(model).encode() + "\n\n";
  }

  /** Answers whose response has neither ended nor been closed: requests still in progress. */
  public int openAnswers() {
    return openAnswers.get();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/v1/messages/count_tokens")) {
      countTokens(request);
      return;
    }
    if (!request.path().equals("/v1/messages")) {
      request
          .response()
          .setStatusCode(404)
          .end(error("not_found_error", "no such path " + request.path()).encode());
      return;
    }
    requestHeaders.add(request.headers());
    requestUris.add(request.uri());
    HttpServerResponse answer = request.response();
    openAnswers.incrementAndGet();
    AtomicBoolean finished = new AtomicBoolean();
    Handler<Void> done =
        v -> {
          if (finished.compareAndSet(false, true)) {
            openAnswers.decrementAndGet();
          }
        };
    answer.endHandler(done).closeHandler(done);
    request
        .body()
        .onSuccess(
            body -> {
              JsonObject messages = body.toJsonObject();
              requests.add(messages);
              HttpServerResponse response = request.response();
              if (messages.getBoolean("stream", false) && rawStreamBody != null) {
                response
                    .putHeader("content-type", rawStreamType)
                    .setChunked(true)
                    .end(rawStreamBody)
                    .onFailure(gatewayLeft -> {});
              } else if (failStatus > 0) {
                response
                    .setStatusCode(failStatus)
                    .putHeader("content-type", "application/json")
                    .end(error(failType, "the fake provider fails on purpose").encode());
              } else if (messages.getBoolean("stream", false)) {
                stream(response, messages);
              } else {
                response
                    .putHeader("content-type", "application/json")
                    .end(message(messages).toBuffer());
              }
            })
        .onFailure(
            clientLeft -> {}); // the client hung up before its body was in: nobody left to answer
  }

  /** Answers {@link #COUNTED_TOKENS}, as Anthropic's own count, or the configured failure. */
  private void countTokens(HttpServerRequest request) {
    requestHeaders.add(request.headers());
    requestUris.add(request.uri());
    request
        .body()
        .onSuccess(
            body -> {
              requests.add(body.toJsonObject());
              HttpServerResponse response =
                  request.response().putHeader("content-type", "application/json");
              if (failStatus > 0) {
                response
                    .setStatusCode(failStatus)
                    .end(error(failType, "the fake provider fails on purpose").encode());
              } else {
                response.end(new JsonObject().put("input_tokens", COUNTED_TOKENS).encode());
              }
            })
        .onFailure(
            clientLeft -> {}); // the client hung up before its body was in: nobody left to answer
  }

  private static boolean usesTool(JsonObject request) {
    JsonArray tools = request.getJsonArray("tools");
    if (tools == null || tools.stream().allMatch(FakeAnthropicUpstream::isServerTool)) {
      return false;
    }
    JsonArray messages = request.getJsonArray("messages");
    Object content = messages.getJsonObject(messages.size() - 1).getValue("content");
    return !(content instanceof JsonArray blocks)
        || blocks.stream()
            .noneMatch(block -> "tool_result".equals(((JsonObject) block).getString("type")));
  }

  /** Server tools (web search...) run at the provider: never the tool_use this fake answers. */
  private static boolean isServerTool(Object tool) {
    return ((JsonObject) tool).getValue("type") != null;
  }

  private static String toolName(JsonObject request) {
    return request.getJsonArray("tools").stream()
        .filter(tool -> !isServerTool(tool))
        .map(tool -> ((JsonObject) tool).getString("name"))
        .findFirst()
        .orElseThrow();
  }

  private JsonObject message(JsonObject request) {
    boolean tool = usesTool(request);
    JsonArray content =
        leadingBlocks
            .copy()
            .add(new JsonObject().put("type", "text").put("text", String.join("", TEXT_PARTS)));
    if (tool) {
      content.add(
          new JsonObject()
              .put("type", "tool_use")
              .put("id", TOOL_USE_ID)
              .put("name", toolName(request))
              .put("input", new JsonObject().put("city", "Paris")));
    }
    return new JsonObject()
        .put("id", MESSAGE_ID)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", request.getString("model"))
        .put("content", content)
        .put("stop_reason", tool ? "tool_use" : "end_turn")
        .put("stop_sequence", null)
        .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", 7));
  }

  private void stream(HttpServerResponse response, JsonObject request) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    boolean tool = usesTool(request);
    List<JsonObject> events = new ArrayList<>();
    events.add(messageStart(request.getString("model")));
    events.add(event("ping"));
    int text = leadingBlocks.size();
    for (int index = 0; index < text; index++) {
      events.addAll(blockEvents(index, leadingBlocks.getJsonObject(index)));
    }
    events.add(
        event("content_block_start")
            .put("index", text)
            .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    for (String part : TEXT_PARTS) {
      events.add(
          event("content_block_delta")
              .put("index", text)
              .put("delta", new JsonObject().put("type", "text_delta").put("text", part)));
      if (errorMidStream) {
        events.add(error("overloaded_error", "Overloaded"));
        break;
      }
    }
    if (!errorMidStream) {
      events.add(event("content_block_stop").put("index", text));
      if (tool) {
        events.add(
            event("content_block_start")
                .put("index", text + 1)
                .put(
                    "content_block",
                    new JsonObject()
                        .put("type", "tool_use")
                        .put("id", TOOL_USE_ID)
                        .put("name", toolName(request))
                        .put("input", new JsonObject())));
        for (String part : List.of("{\"city\":", " \"Paris\"}")) {
          events.add(
              event("content_block_delta")
                  .put("index", text + 1)
                  .put(
                      "delta",
                      new JsonObject().put("type", "input_json_delta").put("partial_json", part)));
        }
        events.add(event("content_block_stop").put("index", text + 1));
      }
      events.add(
          event("message_delta")
              .put(
                  "delta",
                  new JsonObject()
                      .put("stop_reason", tool ? "tool_use" : "end_turn")
                      .put("stop_sequence", null))
              .put("usage", new JsonObject().put("output_tokens", 7)));
      events.add(event("message_stop"));
    }
    Future<Void> sent = Future.succeededFuture();
    for (JsonObject event : events) {
      sent =
          sent.compose(
              v ->
                  response.write(
                      Buffer.buffer(
                          "event: "
                              + event.getString("type")
                              + "\ndata: "
                              + event.encode()
                              + "\n\n")));
    }
    sent.onComplete(v -> response.end());
  }

  private static List<JsonObject> blockEvents(int index, JsonObject block) {
    List<JsonObject> events = new ArrayList<>();
    JsonObject start = block.copy();
    List<JsonObject> deltas = new ArrayList<>();
    switch (block.getString("type")) {
      case "thinking" -> {
        start.put("thinking", "").put("signature", "");
        deltas.add(
            new JsonObject()
                .put("type", "thinking_delta")
                .put("thinking", block.getString("thinking")));
        deltas.add(
            new JsonObject()
                .put("type", "signature_delta")
                .put("signature", block.getString("signature")));
      }
      case "server_tool_use" -> {
        start.put("input", new JsonObject());
        deltas.add(
            new JsonObject()
                .put("type", "input_json_delta")
                .put("partial_json", block.getJsonObject("input").encode()));
      }
      default -> {}
    }
    events.add(event("content_block_start").put("index", index).put("content_block", start));
    deltas.forEach(
        delta -> events.add(event("content_block_delta").put("index", index).put("delta", delta)));
    events.add(event("content_block_stop").put("index", index));
    return events;
  }

  private static JsonObject messageStart(String model) {
    return event("message_start")
        .put(
            "message",
            new JsonObject()
                .put("id", MESSAGE_ID)
                .put("type", "message")
                .put("role", "assistant")
                .put("content", new JsonArray())
                .put("model", model)
                .put("stop_reason", null)
                .put("stop_sequence", null)
                .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", 1)));
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("type", type);
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject()
        .put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }
}
