package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Deltas;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallBuilder;
import io.luthien.canonical.ToolCallDelta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tool-call level: {@link #onToolCall} sees each complete tool call of an answer, whole or
 * streamed. In a stream a call's fragments are held until its choice finishes (its arguments are
 * then complete) while text keeps streaming; the calls of one turn are judged concurrently; the
 * calls that pass are sent whole, numbered from 0 in their order. A replaced call's text goes to
 * the client in its place, after the turn's text. When every tool call of a turn is replaced, a
 * {@code tool_calls} finish reason becomes {@code stop} ({@code end_turn} for Anthropic clients),
 * so the agent does not wait for a tool result; other finish reasons ({@code length}...) are kept.
 * A block ends the turn with its message: a stream ends well-formed ({@link ChunkVerdict#end}).
 */
public abstract class ToolCallPolicy implements Policy {

  /** Between the turn's text and the text that stands in for a call. */
  private static final String SEPARATOR = "\n\n";

  private static final String FINISH_TOOL_CALLS = "tool_calls";
  private static final String FINISH_STOP = "stop";
  private static final String STOP_REASON = "stop_reason";

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
      List<JsonObject> items = JsonFields.objects(JsonFields.array(message, Canonical.TOOL_CALLS));
      if (!items.isEmpty()) {
        choices.add(judgeWhole(out, choice, message, items, context));
      }
    }
    return Future.all(choices).map(done -> out);
  }

  private Future<Void> judgeWhole(
      JsonObject completion,
      JsonObject choice,
      JsonObject message,
      List<JsonObject> items,
      PolicyContext context) {
    return judgeAll(items.stream().map(ToolCall::of).toList(), context)
        .map(
            verdicts -> {
              Outcome outcome = Outcome.of(verdicts);
              if (outcome.blocked != null) {
                message.remove(Canonical.TOOL_CALLS);
                appendText(message, outcome.blocked);
                choice.put(Canonical.FINISH_REASON, FINISH_STOP);
                endTurn(completion);
                return null;
              }
              JsonArray kept = new JsonArray();
              for (int i = 0; i < items.size(); i++) {
                if (verdicts.get(i).kind() == ToolCallVerdict.Kind.PASS) {
                  kept.add(items.get(i));
                }
              }
              appendText(message, outcome.replacementText);
              if (kept.isEmpty()) {
                message.remove(Canonical.TOOL_CALLS);
                if (FINISH_TOOL_CALLS.equals(Choices.finishReason(choice))) {
                  choice.put(Canonical.FINISH_REASON, FINISH_STOP);
                  endTurn(completion);
                }
              } else {
                message.put(Canonical.TOOL_CALLS, kept);
              }
              return null;
            });
  }

  /** Adds {@code text} after the message's text (a string or parts), as streams add it. */
  private static void appendText(JsonObject message, String text) {
    if (text.isEmpty()) {
      return;
    }
    Object content = message.getValue(Canonical.CONTENT);
    if (content instanceof JsonArray parts && !parts.isEmpty()) {
      parts.add(new JsonObject().put(Canonical.TYPE, "text").put("text", SEPARATOR + text));
    } else if (content instanceof String before && !before.isEmpty()) {
      message.put(Canonical.CONTENT, before + SEPARATOR + text);
    } else {
      message.put(Canonical.CONTENT, text);
    }
  }

  /**
   * An Anthropic backend's own stop reason rides along ({@code x_anthropic.stop_reason}) and wins
   * over the finish reason at an Anthropic client: it must not still say {@code tool_use}.
   */
  private static void endTurn(JsonObject completionOrChunk) {
    JsonObject extra = JsonFields.object(completionOrChunk, Canonical.EXTRA);
    if (extra != null && "tool_use".equals(extra.getValue(STOP_REASON))) {
      extra.put(STOP_REASON, "end_turn");
    }
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    HeldCalls held = context.state(HeldCalls.class, HeldCalls::new);
    held.lastChunk = chunk;
    JsonObject out = chunk.copy();
    boolean changed = false;
    List<Integer> finishing = new ArrayList<>();
    List<JsonObject> choices = Choices.of(out);
    for (int position = 0; position < choices.size(); position++) {
      JsonObject choice = choices.get(position);
      int index = Choices.index(choice, position);
      JsonObject delta = Chunks.delta(choice);
      if (!Deltas.text(delta).isEmpty()) {
        held.textSeen.add(index);
      }
      if (delta != null && delta.getValue(Canonical.TOOL_CALLS) != null) {
        Deltas.toolCalls(delta).forEach(fragment -> held.add(index, fragment));
        delta.remove(Canonical.TOOL_CALLS);
        changed = true;
      }
      if (Choices.finishReason(choice) != null && held.has(index)) {
        finishing.add(index);
      }
    }
    if (finishing.isEmpty()) {
      if (!changed) {
        return Future.succeededFuture(ChunkVerdict.pass());
      }
      return Future.succeededFuture(
          carriesSomething(out) ? ChunkVerdict.emit(out) : ChunkVerdict.hold());
    }
    List<Turn> turns = new ArrayList<>();
    for (int index : finishing) {
      turns.add(new Turn(index, held.take(index), held.textSeen.contains(index)));
    }
    return judgeTurns(turns, context).map(judged -> finished(out, judged));
  }

  /** The finish chunk {@code out}, preceded by the judged calls of the choices it finishes. */
  private static ChunkVerdict finished(JsonObject out, List<Judged> judged) {
    JsonObject header = header(out);
    List<JsonObject> emitted = new ArrayList<>();
    for (Judged turn : judged) {
      if (turn.outcome.blocked != null) {
        return ChunkVerdict.end(withoutFinish(out), turn.message(turn.outcome.blocked));
      }
      emitted.addAll(turn.chunks(header));
      if (turn.outcome.kept == 0) {
        List<JsonObject> choices = Choices.of(out);
        for (int position = 0; position < choices.size(); position++) {
          JsonObject choice = choices.get(position);
          if (Choices.index(choice, position) == turn.turn.index
              && FINISH_TOOL_CALLS.equals(Choices.finishReason(choice))) {
            choice.put(Canonical.FINISH_REASON, FINISH_STOP);
            endTurn(out);
          }
        }
      }
    }
    emitted.add(out);
    return ChunkVerdict.emit(emitted);
  }

  /** What a blocked turn's finish chunk still carries (its text), without finishing anything. */
  private static List<JsonObject> withoutFinish(JsonObject out) {
    JsonObject rest = out.copy();
    rest.remove(Canonical.EXTRA);
    for (JsonObject choice : Choices.of(rest)) {
      choice.putNull(Canonical.FINISH_REASON);
    }
    return carriesSomething(rest) ? List.of(rest) : List.of();
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    HeldCalls held = context.state(HeldCalls.class, HeldCalls::new);
    if (held.calls.isEmpty() || held.lastChunk == null) {
      return Future.succeededFuture(List.of());
    }
    // The upstream ended without finishing the choice: its calls are judged as they stand.
    List<Turn> turns = new ArrayList<>();
    for (int index : List.copyOf(held.calls.keySet())) {
      turns.add(new Turn(index, held.take(index), held.textSeen.contains(index)));
    }
    JsonObject last = held.lastChunk;
    return judgeTurns(turns, context)
        .map(
            judged -> {
              JsonObject header = header(last);
              List<JsonObject> out = new ArrayList<>();
              for (Judged turn : judged) {
                if (turn.outcome.blocked != null) {
                  return StreamEnding.chunks(last, turn.message(turn.outcome.blocked));
                }
                out.addAll(turn.chunks(header));
              }
              return out;
            });
  }

  /** A chunk's id, object, created and model, with no choices and no usage. */
  private static JsonObject header(JsonObject chunk) {
    JsonObject header = chunk.copy();
    header.remove(Canonical.USAGE);
    header.remove(Canonical.EXTRA);
    header.put(Canonical.CHOICES, new JsonArray());
    return header;
  }

  private Future<List<Judged>> judgeTurns(List<Turn> turns, PolicyContext context) {
    List<Future<Judged>> judged = new ArrayList<>();
    for (Turn turn : turns) {
      judged.add(judgeAll(turn.calls, context).map(verdicts -> new Judged(turn, verdicts)));
    }
    return Future.all(judged).map(done -> done.list());
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
      if (verdict == null) {
        verdict =
            Future.failedFuture(
                new NullPointerException(name() + ".onToolCall returned no future"));
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
    if (chunk.getValue(Canonical.USAGE) != null || chunk.getValue(Canonical.EXTRA) != null) {
      return true;
    }
    for (JsonObject choice : Choices.of(chunk)) {
      if (Choices.finishReason(choice) != null) {
        return true;
      }
      JsonObject delta = Chunks.delta(choice);
      if (delta != null && delta.stream().anyMatch(field -> field.getValue() != null)) {
        return true;
      }
    }
    return false;
  }

  /** The calls of one streamed choice, taken when it finished (or the stream ended). */
  private record Turn(int index, List<ToolCall> calls, boolean afterText) {}

  /** A turn and its verdicts, one per call in order. */
  private record Judged(Turn turn, List<ToolCallVerdict> verdicts, Outcome outcome) {

    Judged(Turn turn, List<ToolCallVerdict> verdicts) {
      this(turn, verdicts, Outcome.of(verdicts));
    }

    /** Text that follows the turn's streamed text, as {@link #appendText} does for whole ones. */
    String message(String text) {
      return turn.afterText && !text.isEmpty() ? SEPARATOR + text : text;
    }

    /** The replacement text, then each passed call whole, numbered from 0. */
    List<JsonObject> chunks(JsonObject header) {
      List<JsonObject> out = new ArrayList<>();
      if (!outcome.replacementText.isEmpty()) {
        out.add(
            withChoice(
                header,
                turn.index,
                new JsonObject().put(Canonical.CONTENT, message(outcome.replacementText))));
      }
      int position = 0;
      for (int i = 0; i < turn.calls.size(); i++) {
        if (verdicts.get(i).kind() == ToolCallVerdict.Kind.PASS) {
          ToolCall call = turn.calls.get(i);
          ToolCallDelta whole =
              new ToolCallDelta(position++, call.id(), call.name(), call.arguments());
          out.add(
              withChoice(
                  header,
                  turn.index,
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
            if (!verdict.text().isEmpty()) {
              if (replaced.length() > 0) {
                replaced.append(SEPARATOR);
              }
              replaced.append(verdict.text());
            }
          }
          case PASS -> kept++;
        }
      }
      return new Outcome(null, replaced.toString(), kept);
    }
  }

  /** The tool-call fragments of one stream, held per choice until the choice finishes. */
  private static final class HeldCalls {
    private final Map<Integer, Map<Integer, ToolCallBuilder>> calls = new TreeMap<>();
    private final Set<Integer> textSeen = new HashSet<>();
    private JsonObject lastChunk;

    void add(int choice, ToolCallDelta fragment) {
      calls
          .computeIfAbsent(choice, c -> new TreeMap<>())
          .computeIfAbsent(fragment.index(), i -> new ToolCallBuilder())
          .add(fragment);
    }

    boolean has(int choice) {
      return calls.containsKey(choice);
    }

    List<ToolCall> take(int choice) {
      Map<Integer, ToolCallBuilder> building = calls.remove(choice);
      return building == null
          ? List.of()
          : building.values().stream().map(ToolCallBuilder::build).toList();
    }
  }
}
