package io.luthien.launcher;

import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Marks every chunk with the policy node that processed it, to see how a cluster shares streams.
 */
public final class NodeTaggingPolicy implements Policy {

  private final String node;

  public NodeTaggingPolicy(JsonObject config) {
    this.node = config.getString("node");
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    return Future.succeededFuture(ChunkVerdict.emit(chunk.copy().put("served_by", node)));
  }
}
