package io.luthien.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that plays an OpenAI-compatible provider for tests and the benchmark. It
 * answers {@code POST /v1/chat/completions} whole or as SSE chunks, and can be told to fail, stall
 * or hold a stream. A request may steer the stream with the extra body fields {@code fake_chunks},
 * {@code fake_chunk_delay_ms} and {@code fake_chunk_padding} (that many more characters of text in
 * each chunk), which also shows that the gateway passes unknown fields through. A request with
 * {@code fake_tool_call} or {@code "tool_choice": "required"} is answered with a call of {@code
 * get_weather}, whole or streamed; one whose {@code tool_choice} names a function, with a call of
 * that function (arguments {@code fake_tool_arguments} when the request has them). A whole request
 * with {@code "fake_stall_mid_body": true} gets the head and half of its body, and then nothing.
 */
public final class FakeUpstream {

  private final Vertx vertx;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<MultiMap> requestHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionsClosedBeforeEnd = new AtomicInteger();
  private volatile Promise<Void> connectionClosedBeforeEnd = Promise.promise();
  private volatile int chunks = 5;
  private volatile long chunkDelayMillis = 0;
  private volatile long responseDelayMillis = 0;
  private volatile int failStatus = 0;
  private volatile String failBody = "";
  private volatile int dropAfterChunks = -1;
  private volatile Promise<Void> heldStream;
  private volatile boolean recording = true;
  private volatile String rawStreamType;
  private volatile Buffer rawStreamBody;
  private volatile boolean rawStreamHeld;
  private final AtomicInteger openAnswers = new AtomicInteger();
  private HttpServer server;

  private FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeUpstream> start(Vertx vertx) {
    return start(vertx, 0);
  }

  public static Future<FakeUpstream> start(Vertx vertx, int port) {
    FakeUpstream upstream = new FakeUpstream(vertx);
    return vertx
        .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(upstream::handle)
        .listen(port, "127.0.0.1")
        .map(
            server -> {
              upstream.server = server;
              return upstream;
            });
  }

  /**
   * Runs the fake upstream on its own for the benchmark, keeping no record of requests: {@code
   * FakeUpstream <port>}.
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
    Vertx vertx = Vertx.vertx();
    start(vertx, port)
        .onSuccess(
            upstream -> {
              upstream.recording = false;
              System.out.println("fake upstream listening on " + upstream.port());
            })
        .onFailure(
            failure -> {
              failure.printStackTrace();
              System.exit(1);
            });
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public List<JsonObject> requests() {
    return requests;
  }

  public List<MultiMap> requestHeaders() {
    return requestHeaders;
  }

  /** Completes when a client closes its connection before the answer (whole or streamed) ended. */
  public Future<Void> connectionClosedBeforeEnd() {
    return connectionClosedBeforeEnd.future();
  }

  public int connectionsClosedBeforeEnd() {
    return connectionsClosedBeforeEnd.get();
  }

  public FakeUpstream streamChunks(int count, long delayMillis) {
    this.chunks = count;
    this.chunkDelayMillis = delayMillis;
    return this;
  }

  public FakeUpstream failWith(int status, String body) {
    this.failStatus = status;
    this.failBody = body;
    return this;
  }

  public FakeUpstream delayResponse(long millis) {
    this.responseDelayMillis = millis;
    return this;
  }

  /** Closes the connection without ending the stream after this many chunks. */
  public FakeUpstream dropStreamAfter(int chunkCount) {
    this.dropAfterChunks = chunkCount;
    return this;
  }

  /** Streams hold after their first chunk until {@link #releaseStream()}. */
  public FakeUpstream holdStreamAfterFirstChunk() {
    this.heldStream = Promise.promise();
    return this;
  }

  /**
   * Stream requests are answered 200 with this Content-Type and these bytes, whatever they are;
   * then the body ends, or with {@code hold} stays open.
   */
  public FakeUpstream answerStreamsRaw(String contentType, Buffer body, boolean hold) {
    this.rawStreamType = contentType;
    this.rawStreamBody = body;
    this.rawStreamHeld = hold;
    return this;
  }

  /** The SSE event of a stream's first chunk, as this fake sends it. */
  public static String firstChunkEvent(String model) {
    return "data: " + chunk(model, 0, "").encode() + "\n\n";
  }

  /** Answers whose response has neither ended nor been closed: requests still in progress. */
  public int openAnswers() {
    return openAnswers.get();
  }

  public void releaseStream() {
    heldStream.tryComplete();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().endsWith("/chat/completions")) {
      request
          .response()
          .setStatusCode(404)
          .end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    if (recording) {
      requestHeaders.add(request.headers());
    }
    HttpServerResponse response = request.response();
    openAnswers.incrementAndGet();
    AtomicBoolean finished = new AtomicBoolean();
    response.endHandler(
        v -> {
          if (finished.compareAndSet(false, true)) {
            openAnswers.decrementAndGet();
          }
        });
    response.closeHandler(
        v -> {
          if (finished.compareAndSet(false, true)) {
            openAnswers.decrementAndGet();
          }
          if (!response.ended()) {
            connectionsClosedBeforeEnd.incrementAndGet();
            connectionClosedBeforeEnd.tryComplete();
          }
        });
    request
        .body()
        .onSuccess(
            body -> {
              JsonObject completionRequest = body.toJsonObject();
              if (recording) {
                requests.add(completionRequest);
              }
              Runnable answer = () -> answer(request.response(), completionRequest);
              if (responseDelayMillis > 0) {
                vertx.setTimer(responseDelayMillis, id -> answer.run());
              } else {
                answer.run();
              }
            })
        .onFailure(
            clientLeft -> {}); // the client hung up before its body was in: nobody left to answer
  }

  private void answer(HttpServerResponse response, JsonObject request) {
    if (response.closed()) {
      return;
    }
    if (failStatus > 0) {
      response
          .setStatusCode(failStatus)
          .putHeader("content-type", "application/json")
          .end(failBody);
    } else if (request.getBoolean("stream", false) && rawStreamBody != null) {
      response.putHeader("content-type", rawStreamType).setChunked(true);
      Future<Void> written = response.write(rawStreamBody);
      if (!rawStreamHeld) {
        written.compose(v -> response.end()).onFailure(gatewayLeft -> {});
      }
    } else if (request.getBoolean("stream", false)) {
      stream(response, request);
    } else if (request.getBoolean("fake_stall_mid_body", false)) {
      Buffer whole = completion(request).toBuffer();
      response
          .putHeader("content-type", "application/json")
          .putHeader("content-length", String.valueOf(whole.length()))
          .write(whole.getBuffer(0, whole.length() / 2))
          .onFailure(gatewayLeft -> {});
    } else {
      response.putHeader("content-type", "application/json").end(completion(request).toBuffer());
    }
  }

  private void stream(HttpServerResponse response, JsonObject request) {
    int count = request.getInteger("fake_chunks", chunks);
    long delay = request.getLong("fake_chunk_delay_ms", chunkDelayMillis);
    String padding = "x".repeat(request.getInteger("fake_chunk_padding", 0));
    Promise<Void> hold = heldStream;
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    String model = request.getString("model");
    Future<Void> sent = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      int index = i;
      sent =
          sent.compose(v -> index == dropAfterChunks ? drop(response) : Future.succeededFuture())
              .compose(v -> index == 0 || delay == 0 ? Future.succeededFuture() : pause(delay))
              .compose(v -> index == 1 && hold != null ? hold.future() : Future.succeededFuture())
              .compose(
                  v ->
                      response.closed()
                          ? Future.failedFuture("client gone")
                          : write(response, chunk(model, index, padding)));
    }
    boolean toolCall = wantsToolCall(request);
    JsonObject streamOptions = request.getJsonObject("stream_options", new JsonObject());
    if (toolCall) {
      String arguments = toolArguments(request);
      String name = toolName(request);
      int half = arguments.length() / 2;
      sent =
          sent.compose(
                  v -> write(response, toolCallChunk(model, name, arguments.substring(0, half))))
              .compose(v -> write(response, toolCallChunk(model, null, arguments.substring(half))));
    }
    sent.compose(v -> write(response, finalChunk(model, toolCall ? "tool_calls" : "stop")))
        .compose(
            v ->
                streamOptions.getBoolean("include_usage", false)
                    ? write(response, usageChunk(model))
                    : Future.succeededFuture())
        .compose(v -> response.write("data: [DONE]\n\n"))
        .compose(v -> response.end())
        .onFailure(gatewayLeft -> {}); // the fault tests hang up mid-stream on purpose
  }

  private Future<Void> drop(HttpServerResponse response) {
    response.reset();
    return Future.failedFuture("dropped on purpose");
  }

  private Future<Void> pause(long millis) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(millis, id -> elapsed.complete());
    return elapsed.future();
  }

  private static Future<Void> write(HttpServerResponse response, JsonObject chunk) {
    return response.write(Buffer.buffer("data: " + chunk.encode() + "\n\n"));
  }

  /** The text of chunk {@code i}; a whole completion is these texts joined. */
  public static String chunkText(int index) {
    return "part" + index + " ";
  }

  private static JsonObject chunk(String model, int index, String padding) {
    JsonObject delta = new JsonObject().put("content", chunkText(index) + padding);
    if (index == 0) {
      delta.put("role", "assistant");
    }
    return chunkEnvelope(model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", null)));
  }

  private static JsonObject finalChunk(String model, String finishReason) {
    return chunkEnvelope(model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject())
                        .put("finish_reason", finishReason)));
  }

  /** A piece of a streamed tool call; the first one ({@code name} not null) names it. */
  private static JsonObject toolCallChunk(String model, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    JsonObject call = new JsonObject().put("index", 0).put("function", function);
    if (name != null) {
      call.put("id", "call_fake1").put("type", "function");
      function.put("name", name);
    }
    return chunkEnvelope(model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject().put("tool_calls", new JsonArray().add(call)))
                        .put("finish_reason", null)));
  }

  private static JsonObject usageChunk(String model) {
    return chunkEnvelope(model)
        .put("choices", new JsonArray())
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", 9)
                .put("completion_tokens", 5)
                .put("total_tokens", 14));
  }

  private static JsonObject chunkEnvelope(String model) {
    return new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000L)
        .put("model", model);
  }

  private static boolean wantsToolCall(JsonObject request) {
    return request.getBoolean("fake_tool_call", false)
        || "required".equals(request.getValue("tool_choice"))
        || request.getValue("tool_choice") instanceof JsonObject;
  }

  private static String toolName(JsonObject request) {
    return request.getValue("tool_choice") instanceof JsonObject choice
            && choice.getValue("function") instanceof JsonObject function
            && function.getValue("name") instanceof String name
        ? name
        : "get_weather";
  }

  private static String toolArguments(JsonObject request) {
    return request.getString("fake_tool_arguments", "{\"city\":\"Paris\"}");
  }

  private static JsonObject completion(JsonObject request) {
    String lastUser = "";
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      if ("user".equals(message.getString("role"))
          && message.getValue("content") instanceof String text) {
        lastUser = text;
      }
    }
    return new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion")
        .put("created", 1_700_000_000L)
        .put("model", request.getString("model"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            wantsToolCall(request)
                                ? toolCallMessage(request)
                                : new JsonObject()
                                    .put("role", "assistant")
                                    .put("content", "fake reply to: " + lastUser))
                        .put("finish_reason", wantsToolCall(request) ? "tool_calls" : "stop")))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", 7)
                .put("completion_tokens", 4)
                .put("total_tokens", 11))
        .put("system_fingerprint", "fp_fake");
  }

  private static JsonObject toolCallMessage(JsonObject request) {
    return new JsonObject()
        .put("role", "assistant")
        .putNull("content")
        .put(
            "tool_calls",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", "call_fake1")
                        .put("type", "function")
                        .put(
                            "function",
                            new JsonObject()
                                .put("name", toolName(request))
                                .put("arguments", toolArguments(request)))));
  }
}
