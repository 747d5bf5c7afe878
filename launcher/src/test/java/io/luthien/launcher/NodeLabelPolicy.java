package io.luthien.launcher;

import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Puts {@code [label@node] } before a whole answer's text, the node being the policy node's Vert.x
 * instance: shows which policy, set how, served a call on which node.
 */
public final class NodeLabelPolicy implements Policy {

  private final String label;

  public NodeLabelPolicy(PolicyConfig config) {
    config.allowOnly("label");
    this.label = config.requiredString("label");
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    JsonObject message = response.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    String node = Integer.toHexString(System.identityHashCode(context.vertx()));
    message.put("content", "[" + label + "@" + node + "] " + message.getString("content"));
    return Future.succeededFuture(response);
  }
}
