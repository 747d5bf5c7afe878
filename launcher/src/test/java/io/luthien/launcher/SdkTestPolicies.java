package io.luthien.launcher;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Requests;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.ModelClient;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.RequestDecision;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** Policies that exercise the SDK's promises end to end, through a running node. */
public final class SdkTestPolicies {

  private SdkTestPolicies() {}

  /** What the request hook saw, carried to the answer: " (asked: <text>)" ends every answer. */
  public static final class RemembersRequest implements Policy {

    private static final class Asked {
      private String text = "nothing";
    }

    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      context.state(Asked.class, Asked::new).text = Requests.lastUserText(request);
      return Future.succeededFuture(RequestDecision.allow(request));
    }

    @Override
    public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
      String asked = context.state(Asked.class, Asked::new).text;
      return Future.succeededFuture(Completions.mapText(response, text -> text + suffix(asked)));
    }

    @Override
    public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
      String asked = context.state(Asked.class, Asked::new).text;
      return Future.succeededFuture(
          List.of(
              Chunks.chunk(
                  "chatcmpl-end",
                  0,
                  context.model(),
                  new JsonObject().put("content", suffix(asked)),
                  null)));
    }

    private static String suffix(String asked) {
      return " (asked: " + asked + ")";
    }
  }

  /** Ends every stream at its third chunk with "[stopped by policy]". */
  public static final class StopsAtThirdChunk implements Policy {

    private static final class Count {
      private int chunks;
    }

    @Override
    public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
      int seen = ++context.state(Count.class, Count::new).chunks;
      if (seen == 3) {
        context.emit("stopped", new JsonObject().put("at_chunk", seen));
        return Future.succeededFuture(ChunkVerdict.end(" [stopped by policy]"));
      }
      return Future.succeededFuture(ChunkVerdict.pass());
    }
  }

  /** Asks the model "judge-model" about each answer and appends what it said. */
  public static final class AsksAJudge implements Policy {

    private static final ModelClient.Options OPTIONS =
        new ModelClient.Options(Duration.ofSeconds(5), 1, Duration.ofMillis(50));

    @Override
    public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
      JsonObject question =
          new JsonObject()
              .put("model", "judge-model")
              .put(
                  "messages",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("role", "user")
                              .put("content", "judge: " + Completions.text(response))));
      return context
          .models()
          .complete(question, OPTIONS)
          .map(
              verdict -> {
                context.emit("judged", new JsonObject().put("verdict", Completions.text(verdict)));
                return Completions.mapText(
                    response, text -> text + " [judge: " + Completions.text(verdict) + "]");
              });
    }

    @Override
    public Duration hookTimeout() {
      return OPTIONS.budget();
    }
  }

  /** Refuses every request that mentions its {@code word} with 451 and emits why. */
  public static final class RefusesWord implements Policy {

    private final String word;

    public RefusesWord(JsonObject config) {
      this.word = config.getString("word", "forbidden");
    }

    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      if (!Requests.lastUserText(request).contains(word)) {
        return Future.succeededFuture(RequestDecision.allow(request));
      }
      context.emit("refused", new JsonObject().put("word", word));
      return Future.succeededFuture(RequestDecision.block(451, "no talk of " + word));
    }
  }
}
