package io.luthien.launcher;

import io.luthien.policy.Policy;
import io.luthien.policy.PolicyContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Marks every chunk with the policy node that processed it, to see how a cluster shares streams.
 */
public final class NodeTaggingPolicy implements Policy {

  private final String node;

  public NodeTaggingPolicy(JsonObject config) {
    this.node = config.getString("node");
  }

  @Override
  public Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
    return Future.succeededFuture(List.of(chunk.copy().put("served_by", node)));
  }
}
