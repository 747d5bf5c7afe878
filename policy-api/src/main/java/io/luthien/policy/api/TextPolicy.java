package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text level: a policy that only rewrites text implements {@link #transform}; it is applied to
 * whole answers and to streamed text, where the last {@link #holdBack()} characters of each choice
 * are held back so that a pattern split across chunks is still caught ({@link StreamedText}), and,
 * if {@link #appliesToRequest()}, to the text of every request message.
 */
public abstract class TextPolicy implements Policy {

  /** The new text; must be deterministic and see no further than {@link #holdBack()} characters. */
  protected abstract String transform(String text, PolicyContext context);

  /** Characters of streamed text held back: at least the length of the longest match. */
  protected int holdBack() {
    return 0;
  }

  protected boolean appliesToRequest() {
    return false;
  }

  protected boolean appliesToResponse() {
    return true;
  }

  @Override
  public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    if (!appliesToRequest()) {
      return Future.succeededFuture(RequestDecision.allow(request));
    }
    return Future.succeededFuture(
        RequestDecision.allow(Requests.mapMessageText(request, text -> transform(text, context))));
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    if (!appliesToResponse()) {
      return Future.succeededFuture(response);
    }
    return Future.succeededFuture(Completions.mapText(response, text -> transform(text, context)));
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    if (!appliesToResponse()) {
      return Future.succeededFuture(ChunkVerdict.pass());
    }
    HeldText held = context.state(HeldText.class, HeldText::new);
    held.lastChunk = chunk;
    JsonObject out = chunk.copy();
    boolean meaningful = false;
    for (JsonObject choice : Choices.of(out)) {
      int index = Choices.index(choice, 0);
      JsonObject delta = Chunks.delta(choice);
      StreamedText text = held.forChoice(index, this, context);
      String released = "";
      if (delta != null && delta.getValue(Canonical.CONTENT) instanceof String piece) {
        released = text.append(piece);
        delta.remove(Canonical.CONTENT);
      }
      boolean endsText =
          Choices.finishReason(choice) != null
              || (delta != null && delta.getValue(Canonical.TOOL_CALLS) != null);
      if (endsText) {
        released += text.flush();
      }
      if (!released.isEmpty()) {
        if (delta == null) {
          delta = new JsonObject();
          choice.put(Canonical.DELTA, delta);
        }
        delta.put(Canonical.CONTENT, released);
      }
      meaningful |= carriesSomething(choice);
    }
    if (!meaningful && out.getValue(Canonical.USAGE) == null && !Choices.of(chunk).isEmpty()) {
      return Future.succeededFuture(ChunkVerdict.hold());
    }
    return Future.succeededFuture(ChunkVerdict.emit(out));
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    HeldText held = context.state(HeldText.class, HeldText::new);
    List<JsonObject> rest = new ArrayList<>();
    held.texts.forEach(
        (index, text) -> {
          String flushed = text.flush();
          if (!flushed.isEmpty() && held.lastChunk != null) {
            JsonObject chunk = held.lastChunk.copy();
            chunk.remove(Canonical.USAGE);
            chunk.put(
                Canonical.CHOICES,
                new JsonArray()
                    .add(
                        Chunks.choice(
                            index, new JsonObject().put(Canonical.CONTENT, flushed), null)));
            rest.add(chunk);
          }
        });
    return Future.succeededFuture(rest);
  }

  private static boolean carriesSomething(JsonObject choice) {
    if (Choices.finishReason(choice) != null) {
      return true;
    }
    JsonObject delta = Chunks.delta(choice);
    return delta != null && !delta.isEmpty();
  }

  /** The held text of each choice of one stream. */
  private static final class HeldText {
    private final Map<Integer, StreamedText> texts = new TreeMap<>();
    private JsonObject lastChunk;

    StreamedText forChoice(int index, TextPolicy policy, PolicyContext context) {
      return texts.computeIfAbsent(
          index, i -> new StreamedText(text -> policy.transform(text, context), policy.holdBack()));
    }
  }
}
