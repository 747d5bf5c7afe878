package io.luthien.policy.api;

import static io.luthien.policy.api.ToolCallStreams.accumulate;
import static io.luthien.policy.api.ToolCallStreams.call;
import static io.luthien.policy.api.ToolCallStreams.done;
import static io.luthien.policy.api.ToolCallStreams.finish;
import static io.luthien.policy.api.ToolCallStreams.request;
import static io.luthien.policy.api.ToolCallStreams.role;
import static io.luthien.policy.api.ToolCallStreams.text;
import static io.luthien.policy.api.ToolCallStreams.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.policy.api.ToolCallStreams.Scripted;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Streams of text and one or several parallel tool calls, cut at every position of the arguments
 * (and of the names), give the client what the whole answer gives it.
 */
class ToolCallStreamPropertyTest {

  private static final ToolCall BASH =
      new ToolCall("call_a", "Bash", "{\"command\":\"ls -la /tmp\"}");
  private static final ToolCall WRITE =
      new ToolCall("call_b", "Write", "{\"file_path\":\"/repo/.env\",\"content\":\"K=1\\n\"}");
  private static final ToolCall READ = new ToolCall("call_c", "Read", "{\"file_path\":\"a.txt\"}");

  /** The verdicts every stream is run with, by name. */
  private static final Map<String, Function<ToolCall, ToolCallVerdict>> VERDICTS =
      Map.of(
          "pass all", call -> ToolCallVerdict.pass(),
          "replace Write",
              call ->
                  "Write".equals(call.name())
                      ? ToolCallVerdict.replace("(no write to " + call.id() + ")")
                      : ToolCallVerdict.pass(),
          "replace all", call -> ToolCallVerdict.replace("(" + call.name() + " was not run)"),
          "block Write",
              call ->
                  "Write".equals(call.name())
                      ? ToolCallVerdict.block("Write is blocked")
                      : ToolCallVerdict.pass());

  private int runs;

  @Test
  @DisplayName(
      "one call cut at every position of its name and arguments: the client gets the whole"
          + " answer's call, judged whole")
  void oneCallEveryCut() {
    for (int nameCut = 0; nameCut <= BASH.name().length(); nameCut++) {
      for (int cut = 0; cut <= BASH.arguments().length(); cut++) {
        List<JsonObject> upstream = new ArrayList<>();
        upstream.add(role());
        upstream.add(text("Let me "));
        upstream.add(text("look."));
        upstream.addAll(call(0, BASH, nameCut, cut));
        upstream.add(finish("tool_calls"));
        upstream.add(usage());
        checkEveryVerdict(upstream, List.of(BASH), "Let me look.");
      }
    }
    assertThat(runs).isEqualTo(5 * (BASH.arguments().length() + 1) * VERDICTS.size());
  }

  @Test
  @DisplayName(
      "two parallel calls, each cut at every position, text between their fragments: same calls,"
          + " text never held back, passed calls numbered 0..n-1")
  void twoCallsEveryCut() {
    int lengthA = BASH.arguments().length();
    int lengthB = WRITE.arguments().length();
    // Each call is cut at every position, the other one at a position that moves along with it.
    for (int step = 0; step <= lengthA + lengthB + 1; step++) {
      int cutA = step <= lengthA ? step : (step * 7) % (lengthA + 1);
      int cutB = step <= lengthA ? (step * 7) % (lengthB + 1) : step - lengthA - 1;
      List<JsonObject> bash = call(0, BASH, 2, cutA);
      List<JsonObject> upstream = new ArrayList<>();
      upstream.add(role());
      upstream.add(text("I will "));
      upstream.addAll(bash.subList(0, 2));
      upstream.add(text("run two tools."));
      upstream.addAll(bash.subList(2, 4));
      upstream.addAll(call(1, WRITE, 3, cutB));
      upstream.add(finish("tool_calls"));
      upstream.add(usage());
      checkEveryVerdict(upstream, List.of(BASH, WRITE), "I will run two tools.");
    }
  }

  @Test
  @DisplayName("three calls and no text, the middle one cut at every position")
  void threeCallsNoText() {
    for (int cut = 0; cut <= WRITE.arguments().length(); cut++) {
      List<JsonObject> upstream = new ArrayList<>();
      upstream.add(role());
      upstream.addAll(call(0, READ, 1, READ.arguments().length() / 2));
      upstream.addAll(call(1, WRITE, 2, cut));
      upstream.addAll(call(2, BASH, 4, 0));
      upstream.add(finish("tool_calls"));
      upstream.add(usage());
      checkEveryVerdict(upstream, List.of(READ, WRITE, BASH), "");
    }
  }

  @Test
  @DisplayName(
      "a stream that ends without a finish reason: its held calls are judged whole at the end and"
          + " sent, or replaced")
  void noFinishReason() {
    for (int cut = 0; cut <= WRITE.arguments().length(); cut++) {
      List<JsonObject> upstream = new ArrayList<>();
      upstream.add(text("Writing."));
      upstream.addAll(call(0, BASH, 1, 5));
      upstream.addAll(call(1, WRITE, 2, cut));
      for (String verdicts : List.of("pass all", "replace Write", "replace all")) {
        Scripted policy = new Scripted(VERDICTS.get(verdicts));
        PolicyHarness.StreamResult result =
            done(new PolicyHarness(policy, request()).stream(upstream));
        assertThat(policy.seen).containsExactly(BASH, WRITE);
        JsonObject whole =
            done(
                new Scripted(VERDICTS.get(verdicts))
                    .onResponse(
                        accumulate(upstream), new PolicyHarness(policy, request()).context()));
        assertThat(accumulate(result.chunks())).as(verdicts).isEqualTo(whole);
      }
    }
  }

  private void checkEveryVerdict(List<JsonObject> upstream, List<ToolCall> calls, String text) {
    for (Map.Entry<String, Function<ToolCall, ToolCallVerdict>> entry : VERDICTS.entrySet()) {
      runs++;
      check(upstream, calls, text, entry.getKey(), entry.getValue());
    }
  }

  private static void check(
      List<JsonObject> upstream,
      List<ToolCall> calls,
      String text,
      String name,
      Function<ToolCall, ToolCallVerdict> decide) {
    Scripted streaming = new Scripted(decide);
    PolicyHarness harness = new PolicyHarness(streaming, request());
    PolicyHarness.StreamResult result = done(harness.stream(upstream));
    List<JsonObject> client = result.chunks();
    String as = name + " on " + upstream;

    // Each call was judged once, whole.
    assertThat(streaming.seen).as(as).containsExactlyElementsOf(calls);

    // The client's stream adds up to the whole answer's result.
    Scripted whole = new Scripted(decide);
    JsonObject expected = done(whole.onResponse(accumulate(upstream), harness.context()));
    assertThat(whole.seen).containsExactlyElementsOf(calls);
    JsonObject got = accumulate(client);
    List<ToolCallVerdict> verdicts = calls.stream().map(decide).toList();
    boolean blocked = verdicts.stream().anyMatch(v -> v.kind() == ToolCallVerdict.Kind.BLOCK);
    assertThat(result.endedByPolicy()).as(as).isEqualTo(blocked);
    if (blocked) {
      // The stream ended before the usage chunk; the choices are the same.
      assertThat(got.getJsonArray(Canonical.CHOICES))
          .as(as)
          .isEqualTo(expected.getJsonArray(Canonical.CHOICES));
    } else {
      assertThat(got).as(as).isEqualTo(expected);
      // The usage chunk survives, last.
      assertThat(client.get(client.size() - 1)).as(as).isEqualTo(usage());
    }

    // Text is never held back behind a held call: every upstream text arrives before any call.
    int lastText = -1;
    int firstCall = client.size();
    for (int i = 0; i < client.size(); i++) {
      if (!Chunks.toolCallDeltas(client.get(i)).isEmpty()) {
        firstCall = Math.min(firstCall, i);
      }
      String delta = Chunks.textDelta(client.get(i));
      if (!delta.isEmpty() && text.contains(delta)) {
        lastText = i;
      }
    }
    assertThat(lastText).as(as).isLessThan(firstCall);
    assertThat(Completions.text(got) == null ? "" : Completions.text(got)).startsWith(text);

    // Passed calls come whole, numbered 0..n-1 in order.
    List<ToolCallDelta> sent =
        client.stream().flatMap(chunk -> Chunks.toolCallDeltas(chunk).stream()).toList();
    List<ToolCall> passed = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (!blocked && verdicts.get(i).kind() == ToolCallVerdict.Kind.PASS) {
        passed.add(calls.get(i));
      }
    }
    assertThat(sent).as(as).hasSize(passed.size());
    for (int i = 0; i < sent.size(); i++) {
      ToolCallDelta delta = sent.get(i);
      ToolCall call = passed.get(i);
      assertThat(delta)
          .as(as)
          .isEqualTo(new ToolCallDelta(i, call.id(), call.name(), call.arguments()));
    }

    // Replaced calls' text is there; the finish reason says whether the agent runs a tool.
    String content = Completions.text(got);
    for (ToolCallVerdict verdict : verdicts) {
      if (verdict.kind() != ToolCallVerdict.Kind.PASS
          && (!blocked || verdict.kind() == ToolCallVerdict.Kind.BLOCK)) {
        assertThat(content).as(as).contains(verdict.text());
      }
    }
    String finishReason = Choices.finishReason(Choices.first(got));
    assertThat(finishReason).as(as).isEqualTo(passed.isEmpty() ? "stop" : "tool_calls");
  }
}
