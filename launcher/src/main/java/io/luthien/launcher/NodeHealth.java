package io.luthien.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Set;

/**
 * Whether this node has deployed all its roles, and how many cluster members it sees: what a
 * container health check or an orchestrator asks {@code GET /health} on the node port.
 */
final class NodeHealth {

  private final Set<Role> roles;
  private volatile ClusterManager clusterManager;
  private volatile boolean ready;

  NodeHealth(Set<Role> roles) {
    this.roles = Set.copyOf(roles);
  }

  void clustered(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
  }

  void ready() {
    ready = true;
  }

  boolean isReady() {
    return ready;
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("status", ready ? "up" : "starting")
            .put("roles", new JsonArray(roles.stream().sorted().map(Role::label).toList()));
    ClusterManager cluster = clusterManager;
    if (cluster != null) {
      json.put("cluster_members", cluster.getNodes().size());
    }
    return json;
  }
}
