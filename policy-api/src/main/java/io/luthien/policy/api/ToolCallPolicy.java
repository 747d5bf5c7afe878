package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallDelta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool-call level: {@link #onToolCall} sees each complete tool call of an answer, whole or
 * streamed. In a stream a call's fragments are held until the choice finishes (its arguments are
 * then complete) while text keeps streaming; the calls of one turn are judged concurrently. When
 * every tool call of a turn is replaced, the finish reason becomes {@code stop} ({@code end_turn}
 * for Anthropic clients), so the agent does not wait for a tool result.
 */
public abstract class ToolCallPolicy implements Policy {

  /**
   * The verdict on one whole call; {@link ToolCall#parsedArguments()} reads its arguments (null
   * when they are not JSON).
   */
  protected abstract Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context);

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    JsonObject out = response.copy();
    List<Future<Void>> choices = new ArrayList<>();
    for (JsonObject choice : Choices.of(out)) {
      JsonObject message = Completions.message(choice);
      if (message != null && message.getValue(Canonical.TOOL_CALLS) instanceof JsonArray calls) {
        choices.add(judgeWhole(choice, message, calls, context));
      }
    }
    return Future.all(choices).map(done -> out);
  }

  private Future<Void> judgeWhole(
      JsonObject choice, JsonObject message, JsonArray calls, PolicyContext context) {
    List<JsonObject> items = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.getValue(i) instanceof JsonObject item) {
        items.add(item);
      }
    }
    return judgeAll(items.stream().map(ToolCall::of).toList(), context)
        .map(
            verdicts -> {
              Outcome outcome = Outcome.of(verdicts);
              if (outcome.blocked != null) {
                message.remove(Canonical.TOOL_CALLS);
                message.put(Canonical.CONTENT, outcome.blocked);
                choice.put(Canonical.FINISH_REASON, "stop");
                return null;
              }
              JsonArray kept = new JsonArray();
              for (int i = 0; i < items.size(); i++) {
                if (verdicts.get(i).kind() == ToolCallVerdict.Kind.PASS) {
                  kept.add(items.get(i));
                }
              }
              if (!outcome.replacementText.isEmpty()) {
                Object content = message.getValue(Canonical.CONTENT);
                String before =
                    content instanceof String text && !text.isEmpty() ? text + "\n\n" : "";
                message.put(Canonical.CONTENT, before + outcome.replacementText);
              }
              if (kept.isEmpty()) {
                message.remove(Canonical.TOOL_CALLS);
                choice.put(Canonical.FINISH_REASON, "stop");
              } else {
                message.put(Canonical.TOOL_CALLS, kept);
              }
              return null;
            });
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    HeldCalls held = context.state(HeldCalls.class, HeldCalls::new);
    held.lastChunk = chunk;
    JsonObject out = chunk.copy();
    boolean changed = false;
    Integer finishing = null;
    for (JsonObject choice : Choices.of(out)) {
      int index = Choices.index(choice, 0);
      JsonObject delta = Chunks.delta(choice);
      if (delta != null && delta.getValue(Canonical.TOOL_CALLS) instanceof JsonArray fragments) {
        for (int i = 0; i < fragments.size(); i++) {
          if (fragments.getValue(i) instanceof JsonObject fragment) {
            held.add(index, ToolCallDelta.of(fragment, i));
          }
        }
        delta.remove(Canonical.TOOL_CALLS);
        changed = true;
      }
      if (Choices.finishReason(choice) != null && held.has(index)) {
        finishing = index;
      }
    }
    if (finishing == null) {
      if (!changed) {
        return Future.succeededFuture(ChunkVerdict.pass());
      }
      return Future.succeededFuture(
          carriesSomething(out) ? ChunkVerdict.emit(out) : ChunkVerdict.hold());
    }
    int index = finishing;
    List<ToolCall> calls = held.take(index);
    return judgeAll(calls, context).map(verdicts -> streamed(out, index, calls, verdicts));
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    HeldCalls held = context.state(HeldCalls.class, HeldCalls::new);
    if (held.calls.isEmpty() || held.lastChunk == null) {
      return Future.succeededFuture(List.of());
    }
    // The upstream ended without finishing the choice: its calls are judged as they stand.
    List<Future<List<JsonObject>>> flushed = new ArrayList<>();
    for (Integer index : List.copyOf(held.calls.keySet())) {
      List<ToolCall> calls = held.take(index);
      JsonObject header = held.lastChunk.copy();
      header.put(Canonical.CHOICES, new JsonArray());
      flushed.add(
          judgeAll(calls, context)
              .map(
                  verdicts -> streamedCalls(header, index, calls, verdicts, Outcome.of(verdicts))));
    }
    return Future.all(flushed)
        .map(done -> done.<List<JsonObject>>list().stream().flatMap(List::stream).toList());
  }

  private ChunkVerdict streamed(
      JsonObject finishChunk, int index, List<ToolCall> calls, List<ToolCallVerdict> verdicts) {
    Outcome outcome = Outcome.of(verdicts);
    JsonObject header = finishChunk.copy();
    header.remove(Canonical.USAGE);
    header.put(Canonical.CHOICES, new JsonArray());
    if (outcome.blocked != null) {
      return ChunkVerdict.end(outcome.blocked);
    }
    List<JsonObject> out = new ArrayList<>(streamedCalls(header, index, calls, verdicts, outcome));
    if (outcome.kept == 0) {
      for (JsonObject choice : Choices.of(finishChunk)) {
        if (Choices.index(choice, 0) == index) {
          choice.put(Canonical.FINISH_REASON, "stop");
        }
      }
    }
    out.add(finishChunk);
    return ChunkVerdict.emit(out);
  }

  private static List<JsonObject> streamedCalls(
      JsonObject header,
      int index,
      List<ToolCall> calls,
      List<ToolCallVerdict> verdicts,
      Outcome outcome) {
    List<JsonObject> out = new ArrayList<>();
    if (!outcome.replacementText.isEmpty()) {
      out.add(
          withChoice(
              header, index, new JsonObject().put(Canonical.CONTENT, outcome.replacementText)));
    }
    int position = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (verdicts.get(i).kind() == ToolCallVerdict.Kind.PASS) {
        ToolCall call = calls.get(i);
        ToolCallDelta whole =
            new ToolCallDelta(position++, call.id(), call.name(), call.arguments());
        out.add(
            withChoice(
                header,
                index,
                new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(whole.toJson()))));
      }
    }
    return out;
  }

  private static JsonObject withChoice(JsonObject header, int index, JsonObject delta) {
    JsonObject chunk = header.copy();
    chunk.put(Canonical.CHOICES, new JsonArray().add(Chunks.choice(index, delta, null)));
    return chunk;
  }

  private Future<List<ToolCallVerdict>> judgeAll(List<ToolCall> calls, PolicyContext context) {
    List<Future<ToolCallVerdict>> verdicts = new ArrayList<>();
    for (ToolCall call : calls) {
      Future<ToolCallVerdict> verdict;
      try {
        verdict = onToolCall(call, context);
      } catch (RuntimeException e) {
        verdict = Future.failedFuture(e);
      }
      verdicts.add(
          verdict.map(
              given -> {
                if (given == null) {
                  throw new NullPointerException(name() + ".onToolCall returned a null verdict");
                }
                if (given.kind() != ToolCallVerdict.Kind.PASS) {
                  context.emit(
                      given.kind() == ToolCallVerdict.Kind.BLOCK
                          ? "tool_call_blocked"
                          : "tool_call_replaced",
                      new JsonObject()
                          .put("tool", call.name())
                          .put("tool_call_id", call.id())
                          .put("text", given.text()));
                }
                return given;
              }));
    }
    return Future.all(verdicts).map(done -> done.list());
  }

  private static boolean carriesSomething(JsonObject chunk) {
    if (chunk.getValue(Canonical.USAGE) != null) {
      return true;
    }
    for (JsonObject choice : Choices.of(chunk)) {
      JsonObject delta = Chunks.delta(choice);
      if (Choices.finishReason(choice) != null || (delta != null && !delta.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  /** What the verdicts of one turn add up to. */
  private record Outcome(String blocked, String replacementText, int kept) {
    static Outcome of(List<ToolCallVerdict> verdicts) {
      StringBuilder replaced = new StringBuilder();
      int kept = 0;
      for (ToolCallVerdict verdict : verdicts) {
        switch (verdict.kind()) {
          case BLOCK -> {
            return new Outcome(verdict.text(), "", 0);
          }
          case REPLACE -> {
            if (replaced.length() > 0) {
              replaced.append("\n\n");
            }
            replaced.append(verdict.text());
          }
          case PASS -> kept++;
        }
      }
      return new Outcome(null, replaced.toString(), kept);
    }
  }

  /** The tool-call fragments of one stream, held per choice until the choice finishes. */
  private static final class HeldCalls {
    private final Map<Integer, Map<Integer, Building>> calls = new TreeMap<>();
    private JsonObject lastChunk;

    void add(int choice, ToolCallDelta fragment) {
      calls
          .computeIfAbsent(choice, c -> new TreeMap<>())
          .computeIfAbsent(fragment.index(), i -> new Building())
          .add(fragment);
    }

    boolean has(int choice) {
      return calls.containsKey(choice);
    }

    List<ToolCall> take(int choice) {
      Map<Integer, Building> building = calls.remove(choice);
      return building == null
          ? List.of()
          : building.values().stream().map(Building::toCall).toList();
    }
  }

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

    ToolCall toCall() {
      return new ToolCall(id, name.toString(), arguments.toString());
    }
  }
}
