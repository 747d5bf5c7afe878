package io.luthien.policy.api;

import static io.luthien.policy.api.ToolCallStreams.accumulate;
import static io.luthien.policy.api.ToolCallStreams.call;
import static io.luthien.policy.api.ToolCallStreams.chunk;
import static io.luthien.policy.api.ToolCallStreams.done;
import static io.luthien.policy.api.ToolCallStreams.finish;
import static io.luthien.policy.api.ToolCallStreams.fragment;
import static io.luthien.policy.api.ToolCallStreams.request;
import static io.luthien.policy.api.ToolCallStreams.text;
import static io.luthien.policy.api.ToolCallStreams.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.ToolCallStreams.Scripted;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolCallPolicyTest {

  private static final ToolCall LS = new ToolCall("call_1", "Bash", "{\"command\":\"ls\"}");
  private static final ToolCall RM = new ToolCall("call_2", "Bash", "{\"command\":\"rm -rf /\"}");

  private static ToolCallVerdict noRm(ToolCall call) {
    return call.arguments().contains("rm ")
        ? ToolCallVerdict.replace("(rm refused)")
        : ToolCallVerdict.pass();
  }

  private static ToolCallVerdict blockRm(ToolCall call) {
    return call.arguments().contains("rm ")
        ? ToolCallVerdict.block("rm is blocked")
        : ToolCallVerdict.pass();
  }

  private static JsonObject whole(String content, String finishReason, ToolCall... calls) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content);
    if (calls.length > 0) {
      JsonArray items = new JsonArray();
      for (ToolCall call : calls) {
        items.add(call.toJson());
      }
      message.put(Canonical.TOOL_CALLS, items);
    }
    return Completions.completion(
        "chatcmpl-1", 1L, "m", Completions.choice(0, message, finishReason));
  }

  @Test
  @DisplayName(
      "the calls of one turn are all asked about before any verdict is in, and keep their order")
  void judgedConcurrently() {
    List<Promise<ToolCallVerdict>> pending = new ArrayList<>();
    ToolCallPolicy policy =
        new ToolCallPolicy() {
          @Override
          protected Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context) {
            Promise<ToolCallVerdict> verdict = Promise.promise();
            pending.add(verdict);
            return verdict.future();
          }
        };
    List<JsonObject> upstream = new ArrayList<>(call(0, LS, 1, 3));
    upstream.addAll(call(1, RM, 2, 4));
    upstream.addAll(call(2, LS, 0, 0));
    upstream.add(finish("tool_calls"));
    Future<PolicyHarness.StreamResult> result =
        new PolicyHarness(policy, request()).stream(upstream);

    assertThat(pending).hasSize(3);
    assertThat(result.isComplete()).isFalse();
    pending.get(2).complete(ToolCallVerdict.pass());
    pending.get(1).complete(ToolCallVerdict.replace("(no)"));
    assertThat(result.isComplete()).isFalse();
    pending.get(0).complete(ToolCallVerdict.pass());

    JsonObject got = accumulate(done(result).chunks());
    assertThat(Completions.toolCalls(got)).containsExactly(LS, LS);
    assertThat(Completions.text(got)).isEqualTo("(no)");
  }

  @Test
  @DisplayName("while a call is held, each text delta goes on with its own chunk")
  void textNotHeld() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    LocalPolicyContext context = new PolicyHarness(policy, request()).context();
    JsonObject first = fragment(0, "call_2", "Bash", "{\"command\":");
    assertThat(done(policy.onChunk(first, context)).chunks()).isEmpty();
    JsonObject mixed = fragment(0, null, null, "\"rm -rf /\"}");
    Chunks.delta(Choices.first(mixed)).put(Canonical.CONTENT, "Cleaning up.");
    ChunkVerdict verdict = done(policy.onChunk(mixed, context));
    assertThat(verdict.chunks()).hasSize(1);
    assertThat(Chunks.textDelta(verdict.chunks().get(0))).isEqualTo("Cleaning up.");
    assertThat(Chunks.toolCallDeltas(verdict.chunks().get(0))).isEmpty();
    assertThat(done(policy.onChunk(text(" Done."), context)).kind())
        .isEqualTo(ChunkVerdict.Kind.PASS);
    assertThat(policy.seen).isEmpty();
  }

  @Test
  @DisplayName("a fragment whose delta also says content: null is held, not sent as an empty chunk")
  void nullContentHeld() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    JsonObject fragment = fragment(0, "call_1", "Bash", "{}");
    Chunks.delta(Choices.first(fragment)).putNull(Canonical.CONTENT);
    LocalPolicyContext context = new PolicyHarness(policy, request()).context();
    assertThat(done(policy.onChunk(fragment, context)).chunks()).isEmpty();
  }

  @Test
  @DisplayName(
      "a block ends the stream well-formed: the text so far, the message after a blank line, stop")
  void blockEndsStream() {
    Scripted policy = new Scripted(ToolCallPolicyTest::blockRm);
    List<JsonObject> upstream = new ArrayList<>(List.of(text("Cleaning up.")));
    upstream.addAll(call(0, LS, 1, 3));
    upstream.addAll(call(1, RM, 1, 3));
    upstream.add(finish("tool_calls"));
    upstream.add(usage());
    PolicyHarness harness = new PolicyHarness(policy, request());
    PolicyHarness.StreamResult result = done(harness.stream(upstream));

    assertThat(result.endedByPolicy()).isTrue();
    JsonObject got = accumulate(result.chunks());
    assertThat(Completions.text(got)).isEqualTo("Cleaning up.\n\nrm is blocked");
    assertThat(Completions.toolCalls(got)).isEmpty();
    assertThat(Completions.finishReason(got)).isEqualTo("stop");
    assertThat(harness.context().events())
        .extracting(LocalPolicyContext.Event::type)
        .containsExactly("policy.tool_call_blocked");
    assertThat(harness.context().events().get(0).data().getString("tool_call_id"))
        .isEqualTo("call_2");
  }

  @Test
  @DisplayName(
      "a stream that ends with no finish reason and a blocked call still ends with the message")
  void blockAtStreamEnd() {
    Scripted policy = new Scripted(ToolCallPolicyTest::blockRm);
    List<JsonObject> upstream = new ArrayList<>(call(0, RM, 2, 5));
    PolicyHarness.StreamResult result = done(new PolicyHarness(policy, request()).stream(upstream));
    JsonObject got = accumulate(result.chunks());
    assertThat(Completions.text(got)).isEqualTo("rm is blocked");
    assertThat(Completions.toolCalls(got)).isEmpty();
    assertThat(Completions.finishReason(got)).isEqualTo("stop");
  }

  @Test
  @DisplayName("calls sent at the end of a stream do not repeat the usage of its last chunk")
  void flushWithoutUsage() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    List<JsonObject> upstream = new ArrayList<>(call(0, LS, 1, 3));
    upstream.addAll(call(1, RM, 1, 3));
    upstream.add(usage());
    List<JsonObject> client = done(new PolicyHarness(policy, request()).stream(upstream)).chunks();
    assertThat(client)
        .filteredOn(chunk -> chunk.containsKey(Canonical.USAGE))
        .containsExactly(usage());
    JsonObject got = accumulate(client);
    assertThat(Completions.toolCalls(got)).containsExactly(LS);
    assertThat(Completions.text(got)).isEqualTo("(rm refused)");
  }

  @Test
  @DisplayName("two choices finishing in one chunk each get their calls before it")
  void twoChoicesFinishTogether() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    List<JsonObject> upstream = new ArrayList<>();
    for (JsonObject one : call(0, LS, 1, 3)) {
      upstream.add(inChoice(one, 0));
    }
    for (JsonObject one : call(0, RM, 1, 3)) {
      upstream.add(inChoice(one, 1));
    }
    JsonObject last = finish("tool_calls");
    last.getJsonArray(Canonical.CHOICES).add(Chunks.choice(1, new JsonObject(), "tool_calls"));
    upstream.add(last);
    List<JsonObject> client = done(new PolicyHarness(policy, request()).stream(upstream)).chunks();

    assertThat(client.get(client.size() - 1).getJsonArray(Canonical.CHOICES)).hasSize(2);
    JsonObject got = accumulate(client);
    JsonObject first = Choices.byIndex(got).get(0);
    JsonObject second = Choices.byIndex(got).get(1);
    assertThat(Completions.message(first).getJsonArray(Canonical.TOOL_CALLS)).hasSize(1);
    assertThat(first.getString(Canonical.FINISH_REASON)).isEqualTo("tool_calls");
    assertThat(Completions.message(second).getString(Canonical.CONTENT)).isEqualTo("(rm refused)");
    assertThat(second.getString(Canonical.FINISH_REASON)).isEqualTo("stop");
  }

  private static JsonObject inChoice(JsonObject chunk, int index) {
    Choices.first(chunk).put(Canonical.INDEX, index);
    return chunk;
  }

  @Test
  @DisplayName(
      "an Anthropic backend's stop reason tool_use becomes end_turn when every call is replaced")
  void anthropicStopReason() {
    JsonObject last = finish("tool_calls");
    last.put(Canonical.USAGE, usage().getJsonObject(Canonical.USAGE));
    last.put(
        Canonical.EXTRA, new JsonObject().put("stop_reason", "tool_use").putNull("stop_sequence"));
    List<JsonObject> upstream = new ArrayList<>(call(0, RM, 1, 3));
    upstream.add(last);

    List<JsonObject> replaced =
        done(new PolicyHarness(new Scripted(ToolCallPolicyTest::noRm), request()).stream(upstream))
            .chunks();
    JsonObject finish = replaced.get(replaced.size() - 1);
    assertThat(Chunks.finishReason(finish)).isEqualTo("stop");
    assertThat(finish.getJsonObject(Canonical.EXTRA).getString("stop_reason"))
        .isEqualTo("end_turn");
    assertThat(replaced.subList(0, replaced.size() - 1))
        .allSatisfy(
            chunk ->
                assertThat(chunk.containsKey(Canonical.USAGE) || chunk.containsKey(Canonical.EXTRA))
                    .isFalse());

    List<JsonObject> passed =
        done(new PolicyHarness(new Scripted(call -> ToolCallVerdict.pass()), request())
                .stream(upstream))
            .chunks();
    assertThat(passed.get(passed.size() - 1)).isEqualTo(last);
  }

  @Test
  @DisplayName("a length finish reason stays when every call is replaced, whole or streamed")
  void lengthKept() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    JsonObject answer =
        done(
            policy.onResponse(
                whole(null, "length", RM), new PolicyHarness(policy, request()).context()));
    assertThat(Completions.finishReason(answer)).isEqualTo("length");
    assertThat(Completions.text(answer)).isEqualTo("(rm refused)");

    List<JsonObject> upstream = new ArrayList<>(call(0, RM, 1, 3));
    upstream.add(finish("length"));
    JsonObject got =
        accumulate(done(new PolicyHarness(policy, request()).stream(upstream)).chunks());
    assertThat(Completions.finishReason(got)).isEqualTo("length");
  }

  @Test
  @DisplayName("whole: a block keeps the answer's text and adds the message; the calls are gone")
  void wholeBlock() {
    Scripted policy = new Scripted(ToolCallPolicyTest::blockRm);
    JsonObject answer =
        done(
            policy.onResponse(
                whole("Cleaning up.", "tool_calls", LS, RM),
                new PolicyHarness(policy, request()).context()));
    assertThat(Completions.text(answer)).isEqualTo("Cleaning up.\n\nrm is blocked");
    assertThat(Completions.toolCalls(answer)).isEmpty();
    assertThat(Completions.finishReason(answer)).isEqualTo("stop");
  }

  @Test
  @DisplayName("whole: a replaced call's text follows text given as parts, as a part of its own")
  void wholeParts() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    JsonObject input = whole(null, "tool_calls", RM);
    Completions.message(Choices.first(input))
        .put(
            Canonical.CONTENT,
            new JsonArray().add(new JsonObject().put("type", "text").put("text", "Hi.")));
    JsonObject answer =
        done(policy.onResponse(input, new PolicyHarness(policy, request()).context()));
    assertThat(Completions.text(answer)).isEqualTo("Hi.\n\n(rm refused)");
    assertThat(Completions.finishReason(answer)).isEqualTo("stop");
  }

  @Test
  @DisplayName("whole: an answer with an empty tool_calls list is left as it is")
  void wholeEmptyCalls() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    JsonObject input = whole("Hello", "length");
    Completions.message(Choices.first(input)).put(Canonical.TOOL_CALLS, new JsonArray());
    assertThat(done(policy.onResponse(input, new PolicyHarness(policy, request()).context())))
        .isEqualTo(input);
    assertThat(policy.seen).isEmpty();
  }

  @Test
  @DisplayName(
      "a verdict that is null, or a hook that throws, fails the hook instead of passing the call")
  void badVerdicts() {
    Scripted nullVerdict = new Scripted(call -> null);
    Future<JsonObject> result =
        nullVerdict.onResponse(
            whole(null, "tool_calls", LS), new PolicyHarness(nullVerdict, request()).context());
    assertThat(result.failed()).isTrue();
    assertThat(result.cause()).hasMessageContaining("null verdict");

    Scripted throwing =
        new Scripted(
            call -> {
              throw new IllegalStateException("judge broke");
            });
    List<JsonObject> upstream = new ArrayList<>(call(0, LS, 1, 3));
    upstream.add(finish("tool_calls"));
    Future<PolicyHarness.StreamResult> streamed =
        new PolicyHarness(throwing, request()).stream(upstream);
    assertThat(streamed.failed()).isTrue();
    assertThat(streamed.cause()).hasMessage("judge broke");
  }

  @Test
  @DisplayName("a replaced call is recorded as an event naming the tool, its call id and the text")
  void replacedEvent() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    PolicyHarness harness = new PolicyHarness(policy, request());
    done(policy.onResponse(whole(null, "tool_calls", LS, RM), harness.context()));
    assertThat(harness.context().events()).hasSize(1);
    LocalPolicyContext.Event event = harness.context().events().get(0);
    assertThat(event.type()).isEqualTo("policy.tool_call_replaced");
    assertThat(event.data())
        .isEqualTo(
            new JsonObject()
                .put("tool", "Bash")
                .put("tool_call_id", "call_2")
                .put("text", "(rm refused)"));
  }

  @Test
  @DisplayName("a chunk that only carries usage passes unchanged")
  void usagePasses() {
    Scripted policy = new Scripted(ToolCallPolicyTest::noRm);
    assertThat(done(policy.onChunk(usage(), new PolicyHarness(policy, request()).context())).kind())
        .isEqualTo(ChunkVerdict.Kind.PASS);
    assertThat(chunk(new JsonObject(), null)).isNotNull();
  }
}
