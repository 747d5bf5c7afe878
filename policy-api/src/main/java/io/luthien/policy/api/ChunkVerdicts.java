package io.luthien.policy.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What a {@link ChunkVerdict} sends on, as every runner of chunk hooks reads it. */
public final class ChunkVerdicts {

  private ChunkVerdicts() {}

  /**
   * The chunks that go on after {@code verdict} on {@code input}; for {@link ChunkVerdict.Kind#END}
   * they close with {@link StreamEnding#chunks}.
   */
  public static List<JsonObject> chunksAfter(ChunkVerdict verdict, JsonObject input) {
    return switch (verdict.kind()) {
      case PASS -> List.of(input);
      case EMIT, ENDED -> verdict.chunks();
      case END -> {
        List<JsonObject> out = new ArrayList<>(verdict.chunks());
        out.addAll(StreamEnding.chunks(input, verdict.message()));
        yield out;
      }
    };
  }
}
