package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One call, one trace of four spans — the gateway's HTTP server span, the policy hooks' spans and
 * llm.completion under it — that carry the call's id, whether the verticles share a JVM or not; the
 * recorder's batch is a trace of its own, linked to the server span. The event bus makes no spans.
 */
class CallTraceTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
  }

  @Test
  @DisplayName(
      "in one JVM, a whole and a streamed completion each give exactly one trace: server span, policy spans, llm.completion")
  void oneJvm() throws Exception {
    Vertx client = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(client)).streamChunks(6, 1);
    int gatewayPort = NodeFixture.freePort();
    track(
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "OPENAI_BASE_URL",
                upstream.baseUrl(),
                "DATABASE_URL",
                LocalServices.POSTGRES_URL,
                "POLICY_CONFIG",
                NodeFixture.allCapsPolicyFile()),
            this::inMemory));

    for (boolean stream : new boolean[] {false, true}) {
      String callId = complete(client, gatewayPort, stream);
      List<SpanData> spans = awaitCallSpans(callId, stream);
      assertOneTraceWithEveryHop(callId, spans, stream);
      assertThat(serviceNames(spans)).containsExactly("luthien");
    }
  }

  @Test
  @DisplayName(
      "across two clustered nodes, the policy and recorder spans on the other node are in the gateway's trace")
  void twoNodes() throws Exception {
    Vertx client = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(client)).streamChunks(6, 1);
    int gatewayPort = NodeFixture.freePort();
    int[] clusterPorts = {NodeFixture.freePort(), NodeFixture.freePort()};
    String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1];
    String clusterName = "luthien-trace-" + System.nanoTime();
    track(
        NodeFixture.startNode(
            List.of("--roles", "policy,recorder"),
            NodeFixture.env(
                "CLUSTER_MEMBERS",
                members,
                "CLUSTER_PORT",
                clusterPorts[0],
                "CLUSTER_NAME",
                clusterName,
                "DATABASE_URL",
                LocalServices.POSTGRES_URL,
                "POLICY_CONFIG",
                NodeFixture.allCapsPolicyFile()),
            this::inMemory));
    track(
        NodeFixture.startNode(
            List.of("--roles", "gateway"),
            NodeFixture.env(
                "CLUSTER_MEMBERS",
                members,
                "CLUSTER_PORT",
                clusterPorts[1],
                "CLUSTER_NAME",
                clusterName,
                "GATEWAY_PORT",
                gatewayPort,
                "OPENAI_BASE_URL",
                upstream.baseUrl()),
            this::inMemory));

    for (boolean stream : new boolean[] {false, true}) {
      String callId = complete(client, gatewayPort, stream);
      List<SpanData> spans = awaitCallSpans(callId, stream);
      assertOneTraceWithEveryHop(callId, spans, stream);
      assertThat(serviceNames(spans))
          .containsExactlyInAnyOrder("luthien-gateway", "luthien-policy-recorder");
      assertThat(spans)
          .filteredOn(
              named(
                  stream ? TelemetryNames.SPAN_POLICY_STREAM : TelemetryNames.SPAN_POLICY_REQUEST))
          .allSatisfy(span -> assertThat(service(span)).isEqualTo("luthien-policy-recorder"));
    }
  }

  @Test
  @DisplayName(
      "a judge's model call is in the call's trace, under the policy hook that made it, with the judge call's own id")
  void judgeCallInTheCallsTrace() throws Exception {
    Vertx client = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(client));
    int gatewayPort = NodeFixture.freePort();
    java.nio.file.Path policy = java.nio.file.Files.createTempFile("judge", ".yaml");
    java.nio.file.Files.writeString(
        policy, "policy:\n  class: " + SdkTestPolicies.AsksAJudge.class.getName() + "\n");
    track(
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "OPENAI_BASE_URL",
                upstream.baseUrl(),
                "DATABASE_URL",
                LocalServices.POSTGRES_URL,
                "POLICY_CONFIG",
                policy),
            this::inMemory));

    String callId = complete(client, gatewayPort, false);
    List<SpanData> spans = awaitCallSpans(callId, false);
    String traceId = spans.get(0).getTraceId();
    List<SpanData> trace = awaitJudgeCompletion(traceId);

    SpanData judge =
        trace.stream()
            .filter(named(TelemetryNames.SPAN_LLM_COMPLETION))
            .filter(
                span ->
                    "judge-model"
                        .equals(span.getAttributes().get(TelemetryNames.GEN_AI_REQUEST_MODEL)))
            .findFirst()
            .orElseThrow();
    assertThat(judge.getAttributes().get(TelemetryNames.CALL_ID))
        .as("the judge call's own id")
        .isNotEqualTo(callId)
        .isNotBlank();
    assertThat(ancestors(judge, trace))
        .extracting(SpanData::getName)
        .as("the judge call's spans hang under the response hook's span")
        .contains(TelemetryNames.SPAN_POLICY_RESPONSE);
  }

  private List<SpanData> awaitJudgeCompletion(String traceId) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<SpanData> trace =
          exported.getFinishedSpanItems().stream()
              .filter(span -> span.getTraceId().equals(traceId))
              .toList();
      long completions = trace.stream().filter(named(TelemetryNames.SPAN_LLM_COMPLETION)).count();
      if (completions >= 2) {
        return trace;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no judge llm.completion in the trace: " + describe(trace));
      }
      LocalServices.sleep(50);
    }
  }

  private static List<SpanData> ancestors(SpanData span, List<SpanData> trace) {
    Map<String, SpanData> byId =
        trace.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s, (a, b) -> a));
    List<SpanData> chain = new ArrayList<>();
    SpanData parent = byId.get(span.getParentSpanId());
    while (parent != null) {
      chain.add(parent);
      parent = byId.get(parent.getParentSpanId());
    }
    return chain;
  }

  private static String complete(Vertx client, int gatewayPort, boolean stream) {
    HttpResponse<Buffer> response =
        await(
            WebClient.create(client)
                .post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
                .sendJsonObject(NodeFixture.chat("gpt-4o", "trace me", stream)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.getHeader("X-Call-ID");
  }

  /** Waits for the call's last spans: its policy span and the batch that wrote its events. */
  private List<SpanData> awaitCallSpans(String callId, boolean stream) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      List<SpanData> spans = callSpans(callId);
      boolean serverEnded = spans.stream().anyMatch(CallTraceTest::isServerSpan);
      boolean policyEnded =
          spans.stream()
              .anyMatch(
                  named(
                      stream
                          ? TelemetryNames.SPAN_POLICY_STREAM
                          : TelemetryNames.SPAN_POLICY_RESPONSE));
      if (serverEnded && policyEnded && !batchesLinkedTo(spans).isEmpty()) {
        return spans;
      }
      LocalServices.sleep(50);
    }
    throw new AssertionError(
        "the spans of call " + callId + " did not all arrive: " + describe(callSpans(callId)));
  }

  private void assertOneTraceWithEveryHop(String callId, List<SpanData> spans, boolean stream) {
    Set<String> traceIds = spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    assertThat(traceIds)
        .as("trace ids of the spans of call %s: %s", callId, describe(spans))
        .hasSize(1);
    String traceId = traceIds.iterator().next();
    assertThat(exported.getFinishedSpanItems())
        .filteredOn(span -> span.getTraceId().equals(traceId))
        .as("every span of the call's trace carries its call id")
        .allSatisfy(
            span -> assertThat(span.getAttributes().get(TelemetryNames.CALL_ID)).isEqualTo(callId));

    SpanData server = spans.stream().filter(CallTraceTest::isServerSpan).findFirst().orElseThrow();
    assertThat(server.getParentSpanContext().isValid())
        .as("the HTTP server span is the root")
        .isFalse();
    assertThat(spans)
        .as("the call's spans: no event-bus send or receive spans")
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            server.getName(),
            TelemetryNames.SPAN_POLICY_REQUEST,
            stream ? TelemetryNames.SPAN_POLICY_STREAM : TelemetryNames.SPAN_POLICY_RESPONSE,
            TelemetryNames.SPAN_LLM_COMPLETION);
    assertThat(spans)
        .filteredOn(span -> !span.getSpanId().equals(server.getSpanId()))
        .as("every other span is the server span's child")
        .allSatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(server.getSpanId()));
    assertThat(spans)
        .filteredOn(named(TelemetryNames.SPAN_LLM_COMPLETION))
        .singleElement()
        .satisfies(llm -> assertThat(llm.getKind()).isEqualTo(SpanKind.CLIENT));
    assertThat(batchesLinkedTo(spans))
        .as("a recorder.write_batch span of its own trace links to the server span")
        .isNotEmpty()
        .allSatisfy(
            batch -> {
              assertThat(batch.getTraceId()).isNotEqualTo(traceId);
              assertThat(batch.getLinks())
                  .extracting(link -> link.getSpanContext().getSpanId())
                  .contains(server.getSpanId());
            });
  }

  private List<SpanData> callSpans(String callId) {
    return exported.getFinishedSpanItems().stream()
        .filter(span -> callId.equals(span.getAttributes().get(TelemetryNames.CALL_ID)))
        .toList();
  }

  private List<SpanData> batchesLinkedTo(List<SpanData> callSpans) {
    Set<String> traceIds = callSpans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    return exported.getFinishedSpanItems().stream()
        .filter(named(TelemetryNames.SPAN_RECORDER_WRITE_BATCH))
        .filter(
            batch ->
                batch.getLinks().stream()
                    .map(LinkData::getSpanContext)
                    .anyMatch(link -> traceIds.contains(link.getTraceId())))
        .toList();
  }

  private static Predicate<SpanData> named(String name) {
    return span -> span.getName().equals(name);
  }

  private static boolean isServerSpan(SpanData span) {
    return span.getKind() == SpanKind.SERVER && span.getName().equals("POST /v1/chat/completions");
  }

  private void inMemory(AutoConfiguredOpenTelemetrySdkBuilder sdk) {
    sdk.addTracerProviderCustomizer(
        (tracing, config) -> tracing.addSpanProcessor(SimpleSpanProcessor.create(exported)));
  }

  private static Set<String> serviceNames(List<SpanData> spans) {
    return spans.stream().map(CallTraceTest::service).collect(Collectors.toSet());
  }

  private static String service(SpanData span) {
    return span.getResource()
        .getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"));
  }

  private static String describe(List<SpanData> spans) {
    return spans.stream()
        .map(
            span ->
                span.getName()
                    + "/"
                    + span.getKind()
                    + "/"
                    + span.getInstrumentationScopeInfo().getName()
                    + "/"
                    + span.getTraceId().substring(0, 8)
                    + attributesOf(span))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String attributesOf(SpanData span) {
    Map<?, ?> attributes = span.getAttributes().asMap();
    return attributes.toString();
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }
}
