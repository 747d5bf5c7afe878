package io.luthien.policy.library.judge;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Deltas;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.library.judge.SimpleLLMPrompt.Block;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SimpleLLMPolicy} on a stream: each choice's text is held until it ends (a tool call starts
 * or the choice finishes) and its tool calls until the choice finishes; then the blocks that are
 * ready are judged together and their verdicts go out as canonical chunks (the text as one delta,
 * each tool call whole), followed by the finish chunk. Role, thinking and other deltas pass at
 * once.
 */
final class SimpleLLMStream {

  /** Asks the judge about one block (never fails: a failed judge is the on_error verdict). */
  interface Judge {
    Future<BlockVerdict> judge(Block current, List<Block> previous, PolicyContext context);
  }

  private final Judge judge;
  private final boolean onErrorBlock;

  SimpleLLMStream(Judge judge, boolean onErrorBlock) {
    this.judge = judge;
    this.onErrorBlock = onErrorBlock;
  }

  Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    Held held = context.state(Held.class, Held::new);
    held.lastChunk = chunk;
    JsonObject out = chunk.copy();
    Object usage = out.remove(Canonical.USAGE);
    boolean changed = false;
    List<Ready> ready = new ArrayList<>();
    List<JsonObject> choices = Choices.of(out);
    for (int position = 0; position < choices.size(); position++) {
      JsonObject choice = choices.get(position);
      int index = Choices.index(choice, position);
      HeldChoice state = held.choice(index);
      JsonObject delta = Chunks.delta(choice);
      if (delta != null && delta.containsKey(Canonical.CONTENT)) {
        state.text.append(Deltas.text(delta));
        delta.remove(Canonical.CONTENT);
        changed = true;
      }
      String endedText = null;
      if (delta != null && delta.getValue(Canonical.TOOL_CALLS) instanceof JsonArray fragments) {
        endedText = state.takeText();
        for (int i = 0; i < fragments.size(); i++) {
          if (fragments.getValue(i) instanceof JsonObject fragment) {
            state.add(ToolCallDelta.of(fragment, i));
          }
        }
        delta.remove(Canonical.TOOL_CALLS);
        changed = true;
      }
      String finish = Choices.finishReason(choice);
      if (finish != null) {
        choice.putNull(Canonical.FINISH_REASON);
        changed = true;
        String rest = state.takeText();
        ready.add(
            new Ready(index, endedText != null ? endedText : rest, state.takeCalls(), finish));
      } else if (endedText != null && !endedText.isEmpty()) {
        ready.add(new Ready(index, endedText, List.of(), null));
      }
    }
    if (!changed) {
      return Future.succeededFuture(ChunkVerdict.pass());
    }
    JsonObject header = header(chunk);
    return judgeAll(ready, held, context)
        .map(
            verdicts -> {
              List<JsonObject> emitted = new ArrayList<>();
              if (carriesSomething(out)) {
                emitted.add(out);
              }
              for (int i = 0; i < ready.size(); i++) {
                emitted.addAll(release(header, ready.get(i), verdicts.get(i), held));
              }
              if (usage != null) {
                JsonObject last =
                    emitted.isEmpty() ? header.copy() : emitted.remove(emitted.size() - 1);
                emitted.add(last.put(Canonical.USAGE, usage));
              }
              return emitted.isEmpty() ? ChunkVerdict.hold() : ChunkVerdict.emit(emitted);
            });
  }

  /** The upstream ended without finishing some choice: its blocks are judged as they stand. */
  Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    Held held = context.state(Held.class, Held::new);
    if (held.lastChunk == null) {
      return Future.succeededFuture(List.of());
    }
    List<Ready> ready = new ArrayList<>();
    held.choices.forEach(
        (index, state) -> {
          if (!state.finished && (state.text.length() > 0 || !state.calls.isEmpty())) {
            ready.add(new Ready(index, state.takeText(), state.takeCalls(), null));
            state.finished = true;
          }
        });
    JsonObject header = header(held.lastChunk);
    return judgeAll(ready, held, context)
        .map(
            verdicts -> {
              List<JsonObject> emitted = new ArrayList<>();
              for (int i = 0; i < ready.size(); i++) {
                Ready one = ready.get(i);
                emitted.addAll(
                    release(
                        header,
                        new Ready(one.index, one.text, one.calls, ""),
                        verdicts.get(i),
                        held));
              }
              return emitted;
            });
  }

  /** The verdicts on each ready choice's blocks: its text first, then its tool calls. */
  private Future<List<List<BlockVerdict>>> judgeAll(
      List<Ready> ready, Held held, PolicyContext context) {
    List<Future<List<BlockVerdict>>> all = new ArrayList<>();
    for (Ready one : ready) {
      JudgedMessage message = held.choice(one.index).message;
      List<Block> previous = new ArrayList<>(message.committed());
      List<Future<BlockVerdict>> verdicts = new ArrayList<>();
      if (!one.text.isEmpty()) {
        Block text = Block.text(one.text);
        verdicts.add(judge.judge(text, List.copyOf(previous), context));
        previous.add(text);
      }
      for (JsonObject call : one.calls) {
        verdicts.add(judge.judge(Block.toolUse(ToolCall.of(call)), List.copyOf(previous), context));
      }
      all.add(Future.all(verdicts).map(done -> done.<BlockVerdict>list()));
    }
    return Future.all(all).map(done -> done.<List<BlockVerdict>>list());
  }

  /**
   * The chunks one ready choice sends: its text, then, when it finishes (or the stream ended), the
   * closing text, its tool calls and its finish chunk (none when the stream ended).
   */
  private List<JsonObject> release(
      JsonObject header, Ready ready, List<BlockVerdict> verdicts, Held held) {
    HeldChoice state = held.choice(ready.index);
    JudgedMessage message = state.message;
    StringBuilder text = new StringBuilder();
    int next = 0;
    if (!ready.text.isEmpty()) {
      text.append(message.text(ready.text, verdicts.get(next++)));
    }
    for (JsonObject call : ready.calls) {
      text.append(message.toolCall(call, verdicts.get(next++)));
    }
    boolean closing = ready.finish != null;
    if (closing) {
      text.append(message.close(onErrorBlock));
      state.finished = true;
    }
    List<JsonObject> out = new ArrayList<>();
    if (text.length() > 0) {
      out.add(
          withChoice(
              header, ready.index, new JsonObject().put(Canonical.CONTENT, text.toString()), null));
    }
    if (closing) {
      List<JsonObject> calls = message.takeToolCalls();
      for (int position = 0; position < calls.size(); position++) {
        ToolCall call = ToolCall.of(calls.get(position));
        JsonObject fragment =
            new ToolCallDelta(position, call.id(), call.name(), call.arguments()).toJson();
        out.add(
            withChoice(
                header,
                ready.index,
                new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(fragment)),
                null));
      }
      if (!ready.finish.isEmpty()) {
        String finish =
            "tool_calls".equals(ready.finish) && calls.isEmpty() ? "stop" : ready.finish;
        out.add(withChoice(header, ready.index, new JsonObject(), finish));
      }
    }
    return out;
  }

  private static JsonObject header(JsonObject chunk) {
    JsonObject header = chunk.copy();
    header.remove(Canonical.USAGE);
    header.put(Canonical.CHOICES, new JsonArray());
    return header;
  }

  private static JsonObject withChoice(
      JsonObject header, int index, JsonObject delta, String finishReason) {
    return header
        .copy()
        .put(Canonical.CHOICES, new JsonArray().add(Chunks.choice(index, delta, finishReason)));
  }

  private static boolean carriesSomething(JsonObject chunk) {
    for (JsonObject choice : Choices.of(chunk)) {
      JsonObject delta = Chunks.delta(choice);
      if (Choices.finishReason(choice) != null || (delta != null && !delta.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Blocks of one choice ready for the judge: text ("" for none), whole tool calls, and the finish
   * reason when the choice finishes ("" when the stream ended without one, null when it goes on).
   */
  private record Ready(int index, String text, List<JsonObject> calls, String finish) {}

  /** One stream's held blocks, per choice. */
  private static final class Held {
    private final Map<Integer, HeldChoice> choices = new TreeMap<>();
    private JsonObject lastChunk;

    HeldChoice choice(int index) {
      return choices.computeIfAbsent(index, i -> new HeldChoice());
    }
  }

  private static final class HeldChoice {
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, Building> calls = new TreeMap<>();
    private final JudgedMessage message = new JudgedMessage();
    private boolean finished;

    String takeText() {
      String out = text.toString();
      text.setLength(0);
      return out;
    }

    void add(ToolCallDelta fragment) {
      calls.computeIfAbsent(fragment.index(), i -> new Building()).add(fragment);
    }

    List<JsonObject> takeCalls() {
      List<JsonObject> out = calls.values().stream().map(Building::toJson).toList();
      calls.clear();
      return out;
    }
  }

  /** One tool call put together from its fragments. */
  private static final class Building {
    private String id;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();

    void add(ToolCallDelta fragment) {
      if (fragment.id() != null) {
        id = fragment.id();
      }
      if (fragment.name() != null) {
        name.append(fragment.name());
      }
      if (fragment.arguments() != null) {
        arguments.append(fragment.arguments());
      }
    }

    JsonObject toJson() {
      return new ToolCall(id, name.toString(), arguments.toString()).toJson();
    }
  }
}
