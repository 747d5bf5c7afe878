package io.luthien.policy;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** Upper-cases the assistant's text, in whole responses and in every streamed text delta. */
public final class AllCapsPolicy implements Policy {

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    return Future.succeededFuture(Completions.mapText(response, AllCapsPolicy::upperCase));
  }

  @Override
  public Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
    return Future.succeededFuture(List.of(Chunks.mapTextDelta(chunk, AllCapsPolicy::upperCase)));
  }

  private static String upperCase(String text) {
    return text.toUpperCase(Locale.ROOT);
  }
}
