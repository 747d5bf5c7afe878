package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.telemetry.LlmCompletionSpan;
import io.luthien.shared.Addresses;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The spans a call leaves, through a real tracer on the gateway's Vert.x and an in-memory exporter.
 */
class GatewayTracingTest {

  private static final String SESSION_ADDRESS = "test.policy.session";

  private final TestTelemetry telemetry = TestTelemetry.start();
  private final Vertx vertx = telemetry.tracedVertx();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  /** What the gateway sent over the event bus: where, with which headers, and when. */
  private record Sent(String address, MultiMap headers, long epochNanos) {

    String traceId() {
      return traceparent()[1];
    }

    String parentSpanId() {
      return traceparent()[2];
    }

    private String[] traceparent() {
      return headers.get("traceparent").split("-", -1);
    }
  }

  /**
   * The recorder and the activity feed have a consumer, as they would in a node that records; every
   * message sent is noted.
   */
  @BeforeEach
  void recorderAndFeed() {
    await(vertx.eventBus().consumer(Addresses.RECORDER_EVENTS, message -> {}).completion());
    await(vertx.eventBus().consumer(Addresses.ACTIVITY_EVENTS, message -> {}).completion());
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              Instant now = Instant.now();
              sent.add(
                  new Sent(
                      delivery.message().address(),
                      MultiMap.caseInsensitiveMultiMap().addAll(delivery.message().headers()),
                      now.getEpochSecond() * 1_000_000_000L + now.getNano()));
              delivery.next();
            });
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    telemetry.close();
  }

  @Test
  @DisplayName(
      "a whole completion is one trace of two spans here: a server span named after its route with the "
          + "call id, and llm.completion under it with the GenAI attributes; the policy and recorder "
          + "messages carry the server span as traceparent, the activity messages only the call id")
  void wholeCompletion() throws Exception {
    Path routes = Files.createTempFile("routes", ".yaml");
    Files.writeString(
        routes,
        """
        routes:
          - model: house-model
            provider: openai
            upstream_model: gpt-4o-mini
        """);
    GatewayFixture gateway = start(new JsonObject().put("ROUTES_CONFIG", routes.toString()));

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("house-model", "hello"));

    assertThat(response.statusCode()).isEqualTo(200);
    String callId = response.getHeader("X-Call-ID");
    SpanData server = serverSpan(callId);
    Eventually.found(
        "the call's request and response events to the recorder",
        () -> sentTo(callId, Addresses.RECORDER_EVENTS).size() == 2 ? true : null);
    List<SpanData> trace = settledTrace(callId);

    assertThat(server.getName()).isEqualTo("POST /v1/chat/completions");
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getAttributes().get(TelemetryNames.HTTP_ROUTE))
        .isEqualTo("/v1/chat/completions");
    assertThat(server.getAttributes().get(TelemetryNames.CALL_ID)).isEqualTo(callId);
    assertThat(server.getAttributes().get(TelemetryNames.MODEL)).isEqualTo("house-model");
    assertThat(server.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isFalse();
    assertThat(server.getAttributes().get(TelemetryNames.API)).isEqualTo("openai");

    SpanData llm = only(trace, TelemetryNames.SPAN_LLM_COMPLETION);
    assertThat(llm.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(llm.getInstrumentationScopeInfo().getName()).isEqualTo(TelemetryNames.SCOPE_GATEWAY);
    assertThat(isDescendant(llm, server, trace)).isTrue();
    assertThat(llm.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_OPERATION_NAME)).isEqualTo("chat");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_REQUEST_MODEL))
        .isEqualTo("gpt-4o-mini");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_RESPONSE_MODEL))
        .isEqualTo("gpt-4o-mini");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_RESPONSE_ID))
        .isEqualTo("chatcmpl-fake");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(7L);
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(4L);
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_RESPONSE_FINISH_REASONS))
        .containsExactly("stop");
    assertThat(llm.getAttributes().get(TelemetryNames.MODEL)).isEqualTo("house-model");
    assertThat(llm.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isFalse();
    assertThat(llm.getAttributes().get(TelemetryNames.CALL_ID)).isEqualTo(callId);

    // the fake upstream's own server span is in the trace too, without the call id
    assertThat(trace)
        .filteredOn(span -> callId.equals(span.getAttributes().get(TelemetryNames.CALL_ID)))
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(server.getName(), TelemetryNames.SPAN_LLM_COMPLETION);
    List<Sent> traced =
        sent.stream()
            .filter(message -> callId.equals(message.headers().get(MessageHeaders.CALL_ID)))
            .filter(message -> !message.address().equals(Addresses.ACTIVITY_EVENTS))
            .toList();
    assertThat(traced)
        .extracting(Sent::address)
        .anyMatch(address -> address.startsWith(Addresses.POLICY_REQUEST))
        .contains(SESSION_ADDRESS, Addresses.RECORDER_EVENTS);
    assertThat(traced)
        .allSatisfy(
            message -> {
              assertThat(message.traceId()).isEqualTo(server.getTraceId());
              assertThat(message.parentSpanId()).isEqualTo(server.getSpanId());
              assertThat(message.headers().get("baggage")).isNull();
            });
    assertThat(sentTo(callId, Addresses.ACTIVITY_EVENTS))
        .isNotEmpty()
        .allSatisfy(message -> assertThat(message.headers().names()).isEqualTo(Set.of("call-id")));

    MultiMap upstreamHeaders = gateway.upstream.requestHeaders().get(0);
    String[] traceparent = upstreamHeaders.get("traceparent").split("-", -1);
    assertThat(traceparent[1]).isEqualTo(server.getTraceId());
    assertThat(traceparent[2]).isEqualTo(llm.getSpanId());
    assertThat(upstreamHeaders.get("baggage")).isNull();
    assertThat(upstreamHeaders.entries()).noneMatch(header -> header.getValue().contains(callId));
  }

  @Test
  @DisplayName(
      "a stream's llm.completion span marks the first chunk and takes the usage from the last, the stream "
          + "makes no span per chunk and its chunk messages carry no trace, and the recorder's response "
          + "event, sent after the response ended, carries the call's trace")
  void streamedCompletion() {
    GatewayFixture gateway = start(new JsonObject());
    gateway.post(
        GatewayFixture.chat(
            "gpt-4o", "the first call also tries the policy on the gateway's own loop"));

    List<SpanData> shortStream = settledTrace(streamCall(gateway, 2));
    String callId = streamCall(gateway, 12);
    List<SpanData> longStream = settledTrace(callId);

    assertThat(longStream).hasSameSizeAs(shortStream);
    List<Sent> chunks = sentTo(callId, SESSION_ADDRESS);
    assertThat(chunks)
        .isNotEmpty()
        .allSatisfy(message -> assertThat(message.headers().get("traceparent")).isNull());
    SpanData llm = only(longStream, TelemetryNames.SPAN_LLM_COMPLETION);
    assertThat(llm.getEvents())
        .extracting(EventData::getName)
        .containsExactly(TelemetryNames.EVENT_FIRST_CHUNK);
    assertThat(llm.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isTrue();
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(9L);
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(5L);
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_RESPONSE_FINISH_REASONS))
        .containsExactly("stop");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_RESPONSE_ID))
        .isEqualTo("chatcmpl-fake");
    assertThat(llm.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    SpanData server = root(longStream);
    List<Sent> recorderEvents =
        Eventually.found(
            "the stream's request and response events",
            () -> {
              List<Sent> events = sentTo(callId, Addresses.RECORDER_EVENTS);
              return events.size() == 2 ? events : null;
            });
    assertThat(recorderEvents)
        .allSatisfy(
            message -> {
              assertThat(message.traceId()).isEqualTo(server.getTraceId());
              assertThat(message.parentSpanId()).isEqualTo(server.getSpanId());
            });
    assertThat(recorderEvents.get(1).epochNanos())
        .isGreaterThanOrEqualTo(server.getEndEpochNanos());
  }

  @Test
  @DisplayName(
      "a stream the upstream drops ends its llm.completion span with an error; "
          + "one the client abandons ends it as cancelled, with no error status")
  void streamsEndingBadly() {
    GatewayFixture gateway = start(new JsonObject().put("UPSTREAM_TIMEOUT_MS", "60000"));
    gateway.upstream.streamChunks(5, 0).holdStreamAfterFirstChunk();

    SseTestClient abandoned = gateway.stream("gpt-4o", "hi");
    await(abandoned.firstEvent());
    await(abandoned.request.connection().close());
    SpanData cancelled = llmSpanOf(abandoned.response.getHeader("X-Call-ID"));

    assertThat(cancelled.getAttributes().get(LlmCompletionSpan.UPSTREAM_CANCELLED)).isTrue();
    assertThat(cancelled.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(cancelled.getEvents())
        .extracting(EventData::getName)
        .containsExactly(TelemetryNames.EVENT_FIRST_CHUNK);

    gateway.upstream.releaseStream();
    gateway.upstream.dropStreamAfter(2);
    SseTestClient dropped = gateway.stream("gpt-4o", "hi");
    dropped.awaitEnd();
    SpanData failed = llmSpanOf(dropped.response.getHeader("X-Call-ID"));

    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(TelemetryNames.ERROR_TYPE)).isEqualTo("connection");
    assertThat(failed.getEvents()).extracting(EventData::getName).contains("exception");
    assertThat(failed.getAttributes().get(LlmCompletionSpan.UPSTREAM_CANCELLED)).isNull();
  }

  @Test
  @DisplayName(
      "the mock provider's completions get an llm.completion span too, with provider name mock")
  void mockProvider() {
    GatewayFixture gateway = start(new JsonObject());

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("mock", "echo me"));
    SpanData llm = llmSpanOf(response.getHeader("X-Call-ID"));

    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_PROVIDER_NAME)).isEqualTo("mock");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_REQUEST_MODEL)).isEqualTo("mock");
    assertThat(llm.getAttributes().get(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(2L);
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "every route names its server span; a request no route matches keeps just the method, without http.route")
  void serverSpanNames() {
    GatewayFixture gateway = start(new JsonObject());

    HttpResponse<Buffer> health = await(gateway.request(HttpMethod.GET, "/health").send());
    HttpResponse<Buffer> models = await(gateway.request(HttpMethod.GET, "/v1/models").send());
    HttpResponse<Buffer> unknown =
        await(gateway.request(HttpMethod.GET, "/v1/nothing-here").send());

    assertThat(serverSpan(health.getHeader("X-Call-ID")).getName()).isEqualTo("GET /health");
    assertThat(serverSpan(models.getHeader("X-Call-ID")).getName()).isEqualTo("GET /v1/models");
    assertThat(unknown.statusCode()).isEqualTo(404);
    SpanData unmatched = serverSpan(unknown.getHeader("X-Call-ID"));
    assertThat(unmatched.getName()).isEqualTo("GET");
    assertThat(unmatched.getAttributes().get(TelemetryNames.HTTP_ROUTE)).isNull();
  }

  private GatewayFixture start(JsonObject config) {
    return GatewayFixture.start(vertx, TestPolicyNode.Mode.PASS, config, telemetry.openTelemetry());
  }

  private static String streamCall(GatewayFixture gateway, int chunks) {
    SseTestClient stream =
        gateway.stream(
            GatewayFixture.chat("gpt-4o", "hi")
                .put("fake_chunks", chunks)
                .put("stream_options", new JsonObject().put("include_usage", true)));
    assertThat(stream.awaitEnd()).hasSize(chunks + 3);
    return stream.response.getHeader("X-Call-ID");
  }

  /** The call's root span: the gateway's HTTP server span. */
  private SpanData serverSpan(String callId) {
    return Eventually.found(
        "the server span of " + callId,
        () ->
            telemetry.spansOfCall(callId).stream()
                .filter(span -> !span.getParentSpanContext().isValid())
                .findFirst()
                .orElse(null));
  }

  private SpanData llmSpanOf(String callId) {
    return Eventually.found(
        "the llm.completion span of " + callId,
        () ->
            telemetry.spansOfCall(callId).stream()
                .filter(span -> span.getName().equals(TelemetryNames.SPAN_LLM_COMPLETION))
                .findFirst()
                .orElse(null));
  }

  private List<SpanData> trace(SpanData member) {
    return telemetry.spans(span -> span.getTraceId().equals(member.getTraceId()));
  }

  private List<SpanData> settledTrace(String callId) {
    SpanData server = serverSpan(callId);
    Eventually.settled("the spans of " + callId, () -> trace(server).size());
    return trace(server);
  }

  private static SpanData root(List<SpanData> trace) {
    return trace.stream()
        .filter(span -> !span.getParentSpanContext().isValid())
        .findFirst()
        .orElseThrow();
  }

  private static SpanData only(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as("spans named " + name).hasSize(1);
    return named.get(0);
  }

  /** The call's messages to {@code address}, in the order sent. */
  private List<Sent> sentTo(String callId, String address) {
    return sent.stream()
        .filter(message -> message.address().equals(address))
        .filter(message -> callId.equals(message.headers().get(MessageHeaders.CALL_ID)))
        .toList();
  }

  private static boolean isDescendant(SpanData span, SpanData ancestor, List<SpanData> trace) {
    Map<String, SpanData> byId =
        trace.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    SpanData current = span;
    while (current != null && current.getParentSpanContext().isValid()) {
      if (current.getParentSpanId().equals(ancestor.getSpanId())) {
        return true;
      }
      current = byId.get(current.getParentSpanId());
    }
    return false;
  }
}
