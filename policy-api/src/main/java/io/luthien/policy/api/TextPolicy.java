package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
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
 * whole answers and to streamed text, where text is held back so that a pattern split across chunks
 * is still caught ({@link StreamedText}: the last {@link #holdBack()} characters of each choice, or
 * where {@link #releasable} says), and, if {@link #appliesToRequest()}, to the text of every
 * request message. If {@link #appliesToToolArguments()}, the strings and numbers of tool-call
 * arguments are text too (whole, streamed and in the request's history), written back as valid
 * JSON.
 *
 * <p>{@link #transform} may run several times on the same text while a stream looks for a cut, so
 * events are emitted from {@link #onTextTransformed}, which sees each piece of text once as it goes
 * out, and {@link #onTextFinished}, once the request, the answer or the stream is done.
 */
public abstract class TextPolicy implements Policy {

  /** Where text went through the transform. */
  public enum Site {
    REQUEST,
    RESPONSE,
    STREAM;

    /** {@code request}, {@code response} or {@code stream}, for events. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The new text; must be deterministic and see no further than {@link #holdBack()} characters. */
  protected abstract String transform(String text, PolicyContext context);

  /** Characters of streamed text held back: at least the length of the longest match. */
  protected int holdBack() {
    return 0;
  }

  /**
   * How much of the held text {@code pending} may go out: the length of a prefix whose transform no
   * later text can change (0 holds it all). The default holds the last {@link #holdBack()}
   * characters and searches for a cut before them; a policy that knows where its matches may still
   * grow holds back less. The cut is verified either way.
   */
  protected int releasable(String pending, PolicyContext context) {
    return StreamedText.verifiedCut(pending, text -> transform(text, context), holdBack());
  }

  protected boolean appliesToRequest() {
    return false;
  }

  protected boolean appliesToResponse() {
    return true;
  }

  /** Whether tool-call arguments are transformed too (off by default). */
  protected boolean appliesToToolArguments() {
    return false;
  }

  /** Each piece of text once, as it goes out, with what {@link #transform} made of it. */
  protected void onTextTransformed(
      String original, String transformed, Site site, PolicyContext context) {}

  /** The request's messages, the whole answer or the stream went through: for summary events. */
  protected void onTextFinished(Site site, PolicyContext context) {}

  @Override
  public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    if (!appliesToRequest()) {
      return Future.succeededFuture(RequestDecision.allow(request));
    }
    JsonObject out = Requests.mapMessageText(request, text -> whole(text, Site.REQUEST, context));
    if (appliesToToolArguments()) {
      for (JsonObject message : Requests.messages(out)) {
        mapArguments(message, Site.REQUEST, context);
      }
    }
    onTextFinished(Site.REQUEST, context);
    return Future.succeededFuture(RequestDecision.allow(out));
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    if (!appliesToResponse()) {
      return Future.succeededFuture(response);
    }
    JsonObject out = Completions.mapText(response, text -> whole(text, Site.RESPONSE, context));
    if (appliesToToolArguments()) {
      for (JsonObject choice : Choices.of(out)) {
        mapArguments(Completions.message(choice), Site.RESPONSE, context);
      }
    }
    onTextFinished(Site.RESPONSE, context);
    return Future.succeededFuture(out);
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    if (!appliesToResponse()) {
      return Future.succeededFuture(ChunkVerdict.pass());
    }
    HeldText held = context.state(HeldText.class, HeldText::new);
    held.lastChunk = chunk;
    JsonObject out = chunk.copy();
    List<JsonObject> after = new ArrayList<>();
    boolean meaningful = false;
    for (JsonObject choice : Choices.of(out)) {
      int index = Choices.index(choice, 0);
      JsonObject delta = Chunks.delta(choice);
      StreamedText text = held.text(index, this, context);
      String released = "";
      if (delta != null && delta.getValue(Canonical.CONTENT) instanceof String piece) {
        released = text.append(piece);
        delta.remove(Canonical.CONTENT);
      }
      JsonArray fragments = delta == null ? null : JsonFields.array(delta, Canonical.TOOL_CALLS);
      boolean finished = Choices.finishReason(choice) != null;
      if (finished || fragments != null) {
        released += text.flush();
      }
      if (!released.isEmpty()) {
        if (delta == null) {
          delta = new JsonObject();
          choice.put(Canonical.DELTA, delta);
        }
        delta.put(Canonical.CONTENT, released);
      }
      if (fragments != null && appliesToToolArguments()) {
        streamArguments(delta, fragments, held, index, context);
      }
      if (finished && appliesToToolArguments()) {
        JsonArray rest = held.flushArguments(index);
        if (!rest.isEmpty()) {
          // the held arguments go out after this chunk's fragments and before the finish
          after.add(withChoice(chunk, index, new JsonObject().put(Canonical.TOOL_CALLS, rest)));
          JsonObject finish = withChoice(chunk, index, new JsonObject());
          Choices.of(finish).get(0).put(Canonical.FINISH_REASON, Choices.finishReason(choice));
          after.add(finish);
          choice.putNull(Canonical.FINISH_REASON);
        }
      }
      meaningful |= carriesSomething(choice);
    }
    List<JsonObject> chunks = new ArrayList<>();
    if (meaningful || out.getValue(Canonical.USAGE) != null || Choices.of(chunk).isEmpty()) {
      chunks.add(out);
    }
    chunks.addAll(after);
    return Future.succeededFuture(ChunkVerdict.emit(chunks));
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    if (!appliesToResponse()) {
      return Future.succeededFuture(List.of());
    }
    HeldText held = context.state(HeldText.class, HeldText::new);
    List<JsonObject> rest = new ArrayList<>();
    if (held.lastChunk != null) {
      held.texts.forEach(
          (index, text) -> {
            String flushed = text.flush();
            if (!flushed.isEmpty()) {
              rest.add(
                  withChoice(
                      held.lastChunk, index, new JsonObject().put(Canonical.CONTENT, flushed)));
            }
          });
      for (Integer index : List.copyOf(held.arguments.keySet())) {
        JsonArray fragments = held.flushArguments(index);
        if (!fragments.isEmpty()) {
          rest.add(
              withChoice(
                  held.lastChunk, index, new JsonObject().put(Canonical.TOOL_CALLS, fragments)));
        }
      }
    }
    onTextFinished(Site.STREAM, context);
    return Future.succeededFuture(rest);
  }

  private String whole(String text, Site site, PolicyContext context) {
    String result = transform(text, context);
    onTextTransformed(text, result, site, context);
    return result;
  }

  private StreamedText streamed(Site site, PolicyContext context) {
    return new StreamedText(
        text -> transform(text, context),
        pending -> releasable(pending, context),
        (original, result) -> onTextTransformed(original, result, site, context));
  }

  /** The arguments of {@code message}'s tool calls (whole ones), as JSON text. */
  private void mapArguments(JsonObject message, Site site, PolicyContext context) {
    for (JsonObject call : JsonFields.objects(JsonFields.array(message, Canonical.TOOL_CALLS))) {
      JsonObject function = JsonFields.object(call, Canonical.FUNCTION);
      String arguments = JsonFields.string(function, Canonical.ARGUMENTS);
      if (arguments != null) {
        function.put(
            Canonical.ARGUMENTS,
            StreamedText.JsonStrings.map(
                arguments, () -> streamed(site, context), number -> whole(number, site, context)));
      }
    }
  }

  /** Each fragment's arguments through its call's streamed JSON; fragments left empty go. */
  private void streamArguments(
      JsonObject delta, JsonArray fragments, HeldText held, int index, PolicyContext context) {
    JsonArray kept = new JsonArray();
    for (int position = 0; position < fragments.size(); position++) {
      if (!(fragments.getValue(position) instanceof JsonObject fragment)) {
        continue;
      }
      int call = fragment.getValue(Canonical.INDEX) instanceof Number n ? n.intValue() : position;
      JsonObject function = JsonFields.object(fragment, Canonical.FUNCTION);
      String piece = JsonFields.string(function, Canonical.ARGUMENTS);
      if (piece != null) {
        function.put(Canonical.ARGUMENTS, held.arguments(index, call, this, context).append(piece));
      }
      boolean names =
          fragment.getValue(Canonical.ID) != null
              || JsonFields.string(function, Canonical.NAME) != null;
      if (names || (piece != null && !function.getString(Canonical.ARGUMENTS).isEmpty())) {
        kept.add(fragment);
      }
    }
    if (kept.isEmpty()) {
      delta.remove(Canonical.TOOL_CALLS);
    } else {
      delta.put(Canonical.TOOL_CALLS, kept);
    }
  }

  private static JsonObject withChoice(JsonObject template, int index, JsonObject delta) {
    JsonObject chunk = template.copy();
    chunk.remove(Canonical.USAGE);
    chunk.put(Canonical.CHOICES, new JsonArray().add(Chunks.choice(index, delta, null)));
    return chunk;
  }

  private static boolean carriesSomething(JsonObject choice) {
    if (Choices.finishReason(choice) != null) {
      return true;
    }
    JsonObject delta = Chunks.delta(choice);
    return delta != null && !delta.isEmpty();
  }

  /** The held text of each choice of one stream, and of each of its tool calls' arguments. */
  private static final class HeldText {
    private final Map<Integer, StreamedText> texts = new TreeMap<>();
    private final Map<Integer, Map<Integer, StreamedText.JsonStrings>> arguments = new TreeMap<>();
    private JsonObject lastChunk;

    StreamedText text(int index, TextPolicy policy, PolicyContext context) {
      return texts.computeIfAbsent(index, i -> policy.streamed(Site.STREAM, context));
    }

    StreamedText.JsonStrings arguments(
        int index, int call, TextPolicy policy, PolicyContext context) {
      return arguments
          .computeIfAbsent(index, i -> new TreeMap<>())
          .computeIfAbsent(
              call,
              c ->
                  new StreamedText.JsonStrings(
                      () -> policy.streamed(Site.STREAM, context),
                      number -> policy.whole(number, Site.STREAM, context)));
    }

    /** The rest of every call's arguments of choice {@code index}, as fragments. */
    JsonArray flushArguments(int index) {
      JsonArray fragments = new JsonArray();
      Map<Integer, StreamedText.JsonStrings> calls = arguments.remove(index);
      if (calls != null) {
        calls.forEach(
            (call, json) -> {
              String rest = json.flush();
              if (!rest.isEmpty()) {
                fragments.add(
                    new JsonObject()
                        .put(Canonical.INDEX, call)
                        .put(Canonical.FUNCTION, new JsonObject().put(Canonical.ARGUMENTS, rest)));
              }
            });
      }
      return fragments;
    }
  }
}
