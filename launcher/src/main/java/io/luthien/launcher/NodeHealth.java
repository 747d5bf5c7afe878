package io.luthien.launcher;

import io.luthien.recorder.RecorderStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this node has deployed all its roles, whether its embedded PostgreSQL runs, what its
 * recorders hold, and how many cluster members it sees: what a container health check or an
 * orchestrator asks {@code GET /health} and {@code GET /ready} on the node port.
 */
final class NodeHealth {

  private final Set<Role> roles;
  private volatile ClusterManager clusterManager;
  private volatile NodeParts parts;
  private volatile boolean ready;

  NodeHealth(Set<Role> roles) {
    this.roles = Set.copyOf(roles);
  }

  void clustered(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
  }

  /** Where the embedded database and the recorders are found once they are deployed. */
  void watching(NodeParts parts) {
    this.parts = parts;
  }

  void ready() {
    ready = true;
  }

  /** Every role deployed: the process is up ({@code /health} 200). */
  boolean isReady() {
    return ready;
  }

  /** Up, and able to do its job now: its embedded PostgreSQL, if it has one, runs. */
  boolean canServe() {
    return ready && database().map(EmbeddedDatabase::isUp).orElse(true);
  }

  private Optional<EmbeddedDatabase> database() {
    NodeParts known = parts;
    return known == null ? Optional.empty() : known.database();
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("status", !ready ? "starting" : canServe() ? "up" : "degraded")
            .put("roles", new JsonArray(roles.stream().sorted().map(Role::label).toList()));
    database()
        .ifPresent(
            database ->
                json.put(
                    "database",
                    new JsonObject()
                        .put("kind", "embedded")
                        .put("status", database.isUp() ? "up" : "down")
                        .put("restarts", database.restarts())));
    NodeParts known = parts;
    List<RecorderStats> recorders = known == null ? List.of() : known.recorderStats();
    if (!recorders.isEmpty()) {
      json.put(
          "recorder",
          new JsonObject()
              .put("queued_events", recorders.stream().mapToLong(RecorderStats::queueSize).sum())
              .put(
                  "written_events",
                  recorders.stream().mapToLong(RecorderStats::writtenEvents).sum())
              .put("failed_writes", recorders.stream().mapToLong(RecorderStats::failedWrites).sum())
              .put(
                  "dropped_events",
                  recorders.stream().mapToLong(RecorderStats::droppedEvents).sum()));
    }
    ClusterManager cluster = clusterManager;
    if (cluster != null) {
      json.put("cluster_members", cluster.getNodes().size());
    }
    return json;
  }
}
