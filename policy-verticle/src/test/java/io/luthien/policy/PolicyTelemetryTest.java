package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.DuplicatedContexts;
import io.luthien.shared.telemetry.BusTrace;
import io.luthien.shared.telemetry.CallBaggage;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy node's spans, span events and metrics, seen through its event-bus contract on a traced
 * Vert.x.
 */
@ExtendWith(VertxExtension.class)
class PolicyTelemetryTest {

  @TempDir Path dir;

  private TestTelemetry telemetry;
  private Vertx vertx;

  @BeforeEach
  void start() {
    telemetry = TestTelemetry.start();
    vertx = telemetry.tracedVertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    telemetry.close();
  }

  @Test
  @DisplayName(
      "a traced request gets a policy.process_request span under the sender's span, with the call's attributes and the policy's emitted event")
  void requestSpan() throws Exception {
    deploy(
        "policy:\n  class: "
            + TestPolicies.Blocking.class.getName()
            + "\n  config:\n    word: launch-codes\n",
        null);
    String callId = UUID.randomUUID().toString();
    Span caller = callerSpan();

    JsonObject reply =
        asCall(
            caller,
            callId,
            options ->
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.POLICY_REQUEST,
                        new JsonObject()
                            .put("call_id", callId)
                            .put("api", "openai")
                            .put("request", request("hello", true)),
                        options)
                    .map(Message::body));
    caller.end();

    SpanData span = awaitSpan(TelemetryNames.SPAN_POLICY_REQUEST);
    assertThat(span.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    assertThat(span.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
    assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(TelemetryNames.SCOPE_POLICY);
    assertThat(span.getAttributes().get(TelemetryNames.CALL_ID)).isEqualTo(callId);
    assertThat(span.getAttributes().get(TelemetryNames.POLICY_NAME)).isEqualTo("Blocking");
    assertThat(span.getAttributes().get(TelemetryNames.MODEL)).isEqualTo("gpt-test");
    assertThat(span.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isTrue();
    assertThat(span.getAttributes().get(TelemetryNames.API)).isEqualTo("openai");
    assertThat(span.getAttributes().get(TelemetryNames.POLICY_DECISION)).isEqualTo("passed");
    EventData checked = event(span, "policy.checked");
    assertThat(checked.getAttributes().get(AttributeKey.stringKey("luthien.event.word")))
        .isEqualTo("launch-codes");
    assertThat(checked.getAttributes().get(AttributeKey.booleanKey("luthien.event.found")))
        .isFalse();
    assertThat(
            new JsonObject(
                checked.getAttributes().get(AttributeKey.stringKey("luthien.event.data"))))
        .isEqualTo(
            new JsonObject()
                .put("word", "launch-codes")
                .put("found", false)
                .put("policy", "Blocking"));
    assertThat(reply.getJsonArray("events"))
        .singleElement()
        .satisfies(
            event ->
                assertThat(((JsonObject) event).getString("type")).isEqualTo("policy.checked"));
  }

  @Test
  @DisplayName(
      "a blocked request is marked blocked on its span, and the verdicts are counted by decision")
  void blockedRequest() throws Exception {
    deploy(
        "policy:\n  class: "
            + TestPolicies.Blocking.class.getName()
            + "\n  config:\n    word: launch-codes\n",
        null);
    String blockedCall = UUID.randomUUID().toString();
    Span caller = callerSpan();

    asCall(
        caller,
        blockedCall,
        options ->
            vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.POLICY_REQUEST,
                    new JsonObject()
                        .put("call_id", blockedCall)
                        .put("request", request("the launch-codes please", false)),
                    options));
    ask(
        Addresses.POLICY_REQUEST,
        new JsonObject().put("call_id", "c2").put("request", request("hello", false)));
    ask(
        Addresses.POLICY_REQUEST,
        new JsonObject().put("call_id", "c3").put("request", request("hi", false)));
    caller.end();

    SpanData span = awaitSpan(TelemetryNames.SPAN_POLICY_REQUEST, blockedCall);
    assertThat(span.getAttributes().get(TelemetryNames.POLICY_DECISION)).isEqualTo("blocked");
    assertThat(span.getAttributes().get(AttributeKey.longKey("luthien.policy.blocked.status")))
        .isEqualTo(403L);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(decisionCounts())
        .containsEntry("Blocking/request/blocked", 1L)
        .containsEntry("Blocking/request/passed", 2L);
  }

  @Test
  @DisplayName(
      "a response the policy rewrites is counted as changed, and its span is a policy.process_response")
  void changedResponse() throws Exception {
    deploy("policy:\n  class: AllCapsPolicy\n", null);
    String callId = UUID.randomUUID().toString();
    Span caller = callerSpan();

    String session =
        asCall(
                caller,
                callId,
                options ->
                    vertx
                        .eventBus()
                        .<JsonObject>request(
                            Addresses.POLICY_REQUEST,
                            new JsonObject()
                                .put("call_id", callId)
                                .put("request", request("hi", false)),
                            options))
            .body()
            .getString("session");
    asCall(
        caller,
        callId,
        options ->
            vertx
                .eventBus()
                .<JsonObject>request(
                    session,
                    new JsonObject()
                        .put("kind", "response")
                        .put("call_id", callId)
                        .put("request", request("hi", false))
                        .put("response", completion("hello")),
                    options));
    caller.end();

    SpanData span = awaitSpan(TelemetryNames.SPAN_POLICY_RESPONSE, callId);
    assertThat(ancestorIds(span)).contains(caller.getSpanContext().getSpanId());
    assertThat(span.getAttributes().get(TelemetryNames.POLICY_DECISION)).isEqualTo("changed");
    assertThat(span.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isFalse();
    assertThat(decisionCounts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("AllCapsPolicy/response/changed", 1L, "AllCapsPolicy/request/passed", 1L));
    assertThat(durationPoints())
        .anySatisfy(
            point -> {
              assertThat(point.getAttributes().get(TelemetryNames.POLICY_HOOK))
                  .isEqualTo("response");
              assertThat(point.getAttributes().get(TelemetryNames.ERROR_TYPE)).isNull();
              assertThat(point.getCount()).isEqualTo(1);
            });
  }

  @Test
  @DisplayName(
      "a policy that throws makes its span ERROR with the exception, and its duration carries error.type")
  void failingHook() throws Exception {
    deploy("policy:\n  class: " + TestPolicies.Throwing.class.getName() + "\n", null);
    String callId = UUID.randomUUID().toString();
    Span caller = callerSpan();

    Future<JsonObject> refused =
        asCallAllowingFailure(
            caller,
            callId,
            options ->
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.POLICY_REQUEST,
                        new JsonObject()
                            .put("call_id", callId)
                            .put("request", request("boom", false)),
                        options)
                    .map(Message::body));
    caller.end();

    assertThat(refused.failed()).isTrue();
    SpanData span = awaitSpan(TelemetryNames.SPAN_POLICY_REQUEST, callId);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).contains("Throwing.onRequest failed");
    assertThat(
            event(span, "exception").getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(durationPoints())
        .singleElement()
        .satisfies(
            point -> {
              assertThat(point.getAttributes().get(TelemetryNames.POLICY_NAME))
                  .isEqualTo("Throwing");
              assertThat(point.getAttributes().get(TelemetryNames.POLICY_HOOK))
                  .isEqualTo("request");
              assertThat(point.getAttributes().get(TelemetryNames.ERROR_TYPE))
                  .isEqualTo(IllegalStateException.class.getName());
            });
    assertThat(decisionCounts()).isEmpty();
  }

  @Test
  @DisplayName(
      "a stream is one policy.process_stream span from open to close, counting its chunks and holding their events; chunks make no spans")
  void streamSpan() throws Exception {
    deploy("policy:\n  class: " + TestPolicies.Emitting.class.getName() + "\n", null);
    String callId = UUID.randomUUID().toString();
    Span caller = callerSpan();
    int chunks = 5;

    String session =
        asCall(
                caller,
                callId,
                options ->
                    vertx
                        .eventBus()
                        .<JsonObject>request(
                            Addresses.POLICY_REQUEST,
                            new JsonObject()
                                .put("call_id", callId)
                                .put("request", request("hi", true)),
                            options))
            .body()
            .getString("session");
    List<JsonObject> replies = new ArrayList<>();
    for (int seq = 0; seq < chunks; seq++) {
      replies.add(
          untraced(
              caller,
              callId,
              session,
              new JsonObject()
                  .put("kind", "chunk")
                  .put("call_id", callId)
                  .put("seq", seq)
                  .put("chunk", chunk("t" + seq))));
    }
    JsonObject closed =
        untraced(
            caller,
            callId,
            session,
            new JsonObject().put("kind", "close").put("call_id", callId).put("seq", chunks));
    caller.end();

    SpanData stream = awaitSpan(TelemetryNames.SPAN_POLICY_STREAM, callId);
    assertThat(telemetry.spans(span -> span.getName().equals(TelemetryNames.SPAN_POLICY_STREAM)))
        .hasSize(1);
    assertThat(ancestorIds(stream)).contains(caller.getSpanContext().getSpanId());
    assertThat(stream.getAttributes().get(AttributeKey.longKey("luthien.stream.chunks")))
        .isEqualTo((long) chunks);
    assertThat(stream.getAttributes().get(TelemetryNames.STREAM_ENABLED)).isTrue();
    assertThat(stream.getAttributes().get(TelemetryNames.POLICY_NAME)).isEqualTo("Emitting");
    assertThat(stream.getAttributes().get(TelemetryNames.MODEL)).isEqualTo("gpt-test");
    assertThat(stream.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(stream.getEvents())
        .extracting(EventData::getName)
        .containsExactly(
            "policy.chunk_seen",
            "policy.chunk_seen",
            "policy.chunk_seen",
            "policy.chunk_seen",
            "policy.chunk_seen",
            "policy.stream_done");
    assertThat(
            stream
                .getEvents()
                .get(4)
                .getAttributes()
                .get(AttributeKey.stringKey("luthien.event.text")))
        .isEqualTo("t4");
    assertThat(
            stream
                .getEvents()
                .get(5)
                .getAttributes()
                .get(AttributeKey.longKey("luthien.event.chunks")))
        .isEqualTo(5L);
    assertThat(replies).allSatisfy(reply -> assertThat(reply.getJsonArray("events")).hasSize(1));
    assertThat(closed.getJsonArray("events").getJsonObject(0).getString("type"))
        .isEqualTo("policy.stream_done");

    waitUntil("the caller's span exported", () -> telemetry.span("test.caller").isPresent());
    assertThat(telemetry.spans())
        .as("only the request is traced: its request span, the stream span and the caller")
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            TelemetryNames.SPAN_POLICY_REQUEST, TelemetryNames.SPAN_POLICY_STREAM, "test.caller");
    assertThat(durationCounts())
        .containsEntry("Emitting/chunk", (long) chunks)
        .containsEntry("Emitting/stream_end", 1L);
  }

  @Test
  @DisplayName("a stream the idle sweep drops ends its span, marked expired")
  void expiredStream() throws Exception {
    deploy(
        "policy:\n  class: " + TestPolicies.Emitting.class.getName() + "\n",
        new JsonObject().put("POLICY_STREAM_IDLE_MS", "300"));
    String callId = UUID.randomUUID().toString();
    Span caller = callerSpan();

    String session =
        asCall(
                caller,
                callId,
                options ->
                    vertx
                        .eventBus()
                        .<JsonObject>request(
                            Addresses.POLICY_REQUEST,
                            new JsonObject()
                                .put("call_id", callId)
                                .put("request", request("hi", true)),
                            options))
            .body()
            .getString("session");
    untraced(
        caller,
        callId,
        session,
        new JsonObject()
            .put("kind", "chunk")
            .put("call_id", callId)
            .put("seq", 0)
            .put("chunk", chunk("only")));
    caller.end();

    SpanData stream = awaitSpan(TelemetryNames.SPAN_POLICY_STREAM, callId);
    assertThat(stream.getAttributes().get(AttributeKey.booleanKey("luthien.stream.expired")))
        .isTrue();
    assertThat(stream.getAttributes().get(AttributeKey.longKey("luthien.stream.chunks")))
        .isEqualTo(1L);
    assertThat(stream.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(
            event(stream, "luthien.stream.abandoned")
                .getAttributes()
                .get(AttributeKey.stringKey("luthien.stream.abandon_reason")))
        .contains("idle for over 300 ms");
    assertThat(stream.getEvents()).extracting(EventData::getName).contains("policy.chunk_seen");
  }

  // --- the gateway's side of the contract ---

  private void deploy(String yaml, JsonObject extra) throws Exception {
    Path file = Files.createTempFile(dir, "policy", ".yaml");
    Files.writeString(file, yaml);
    JsonObject config = new JsonObject().put("POLICY_CONFIG", file.toString());
    if (extra != null) {
      config.mergeIn(extra);
    }
    vertx
        .deployVerticle(
            new PolicyVerticle(telemetry.openTelemetry()),
            new DeploymentOptions().setConfig(config))
        .await(10, TimeUnit.SECONDS);
  }

  private Span callerSpan() {
    return telemetry
        .openTelemetry()
        .getTracer("test")
        .spanBuilder("test.caller")
        .setNoParent()
        .startSpan();
  }

  /**
   * Sends from a Vert.x context where the caller's span and the call id baggage are current, as the
   * gateway does.
   */
  private <T> T asCall(Span caller, String callId, Function<DeliveryOptions, Future<T>> send)
      throws Exception {
    return asCallAllowingFailure(caller, callId, send).await(10, TimeUnit.SECONDS);
  }

  private <T> Future<T> asCallAllowingFailure(
      Span caller, String callId, Function<DeliveryOptions, Future<T>> send) throws Exception {
    var context = DuplicatedContexts.fresh(vertx);
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          Context call = CallBaggage.withCallId(Context.root().with(caller), callId);
          try (Scope ignored = call.makeCurrent()) {
            send.apply(BusTrace.options(call, callId)).onComplete(result);
          }
        });
    Future<T> future = result.future();
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Exception expected) {
      // the caller looks at the failed future
    }
    return future;
  }

  /**
   * A chunk or close message as the gateway sends it: with the call's context current, untraced.
   */
  private JsonObject untraced(Span caller, String callId, String session, JsonObject body)
      throws Exception {
    return asCall(
        caller,
        callId,
        options ->
            vertx
                .eventBus()
                .<JsonObject>request(session, body, BusTrace.untraced(callId))
                .map(Message::body));
  }

  private JsonObject ask(String address, JsonObject body) throws Exception {
    return vertx
        .eventBus()
        .<JsonObject>request(address, body)
        .map(Message::body)
        .await(10, TimeUnit.SECONDS);
  }

  private static JsonObject request(String text, boolean stream) {
    return new JsonObject()
        .put("model", "gpt-test")
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private static JsonObject completion(String text) {
    return new JsonObject()
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", text))));
  }

  private static JsonObject chunk(String text) {
    return new JsonObject()
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject().put("content", text))));
  }

  // --- reading the telemetry ---

  private SpanData awaitSpan(String name) {
    waitUntil("a " + name + " span", () -> telemetry.span(name).isPresent());
    return telemetry.span(name).orElseThrow();
  }

  private SpanData awaitSpan(String name, String callId) {
    Supplier<List<SpanData>> found =
        () ->
            telemetry.spans(
                span ->
                    span.getName().equals(name)
                        && callId.equals(span.getAttributes().get(TelemetryNames.CALL_ID)));
    waitUntil("a " + name + " span of call " + callId, () -> !found.get().isEmpty());
    return found.get().get(0);
  }

  /** The span ids above {@code span}, nearest first, as far as exported spans reach. */
  private List<String> ancestorIds(SpanData span) {
    Map<String, SpanData> byId =
        telemetry.spans().stream()
            .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));
    List<String> ancestors = new ArrayList<>();
    String parent = span.getParentSpanId();
    while (span.getParentSpanContext().isValid() && parent != null && !ancestors.contains(parent)) {
      ancestors.add(parent);
      SpanData next = byId.get(parent);
      if (next == null || !next.getParentSpanContext().isValid()) {
        break;
      }
      parent = next.getParentSpanId();
    }
    return ancestors;
  }

  private static EventData event(SpanData span, String name) {
    return span.getEvents().stream()
        .filter(event -> event.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no event " + name + " on " + span.getName() + ": " + span.getEvents()));
  }

  /** {@code name/hook/decision} → count. */
  private Map<String, Long> decisionCounts() {
    return telemetry
        .metric(MetricNames.POLICY_DECISIONS)
        .map(MetricData::getLongSumData)
        .map(
            sum ->
                sum.getPoints().stream()
                    .collect(
                        Collectors.toMap(
                            point -> key(point.getAttributes(), TelemetryNames.POLICY_DECISION),
                            LongPointData::getValue)))
        .orElse(Map.of());
  }

  private Collection<HistogramPointData> durationPoints() {
    MetricData durations =
        telemetry
            .metric(MetricNames.POLICY_DURATION)
            .orElseThrow(() -> new AssertionError("no " + MetricNames.POLICY_DURATION));
    assertThat(durations.getUnit()).isEqualTo("s");
    return durations.getHistogramData().getPoints();
  }

  /** {@code name/hook} → hook runs. */
  private Map<String, Long> durationCounts() {
    return durationPoints().stream()
        .collect(
            Collectors.toMap(
                point -> key(point.getAttributes(), null),
                HistogramPointData::getCount,
                Long::sum));
  }

  private static String key(Attributes attributes, AttributeKey<String> last) {
    String key =
        attributes.get(TelemetryNames.POLICY_NAME)
            + "/"
            + attributes.get(TelemetryNames.POLICY_HOOK);
    return last == null ? key : key + "/" + Objects.requireNonNull(attributes.get(last));
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
