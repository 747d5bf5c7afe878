package io.luthien.launcher;

import io.luthien.recorder.RecorderHealth;
import io.luthien.recorder.RecorderStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this node has deployed all its roles, whether its embedded PostgreSQL runs, whether its
 * recorders can write and what they hold, and how many cluster members it sees: what a container
 * health check or an orchestrator asks {@code GET /health} and {@code GET /ready} on the node port.
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

  /** Why a node that is up cannot do its job now; empty when it can. */
  private List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!database().map(EmbeddedDatabase::isUp).orElse(true)) {
      problems.add("the embedded PostgreSQL is down (restarting)");
    }
    recorderHealth()
        .filter(recorder -> !recorder.canWrite())
        .ifPresent(recorder -> problems.add("the recorder cannot write: " + recorder.problem()));
    return problems;
  }

  private List<RecorderStats> recorders() {
    NodeParts known = parts;
    return known == null ? List.of() : known.recorderStats();
  }

  private Optional<RecorderHealth> recorderHealth() {
    List<RecorderStats> recorders = recorders();
    return recorders.isEmpty()
        ? Optional.empty()
        : Optional.of(
            RecorderHealth.combined(recorders.stream().map(RecorderStats::health).toList()));
  }

  private Optional<EmbeddedDatabase> database() {
    NodeParts known = parts;
    return known == null ? Optional.empty() : known.database();
  }

  /**
   * What {@code /health} and {@code /ready} answer: {@code status} is {@code up} only while the
   * node can do its job now (its embedded PostgreSQL, if it has one, runs, and its recorders, if it
   * has any, can write); {@code degraded} comes with the {@code problems}.
   */
  JsonObject toJson() {
    List<String> problems = problems();
    JsonObject json =
        new JsonObject()
            .put("status", !ready ? "starting" : problems.isEmpty() ? "up" : "degraded")
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
    recorderHealth()
        .ifPresent(
            recorder ->
                json.put(
                    "recorder",
                    recorder
                        .toJson()
                        .put(
                            "written_events",
                            recorders().stream().mapToLong(RecorderStats::writtenEvents).sum())
                        .put(
                            "failed_writes",
                            recorders().stream().mapToLong(RecorderStats::failedWrites).sum())));
    if (ready && !problems.isEmpty()) {
      json.put("problems", new JsonArray(problems));
    }
    ClusterManager cluster = clusterManager;
    if (cluster != null) {
      json.put("cluster_members", cluster.getNodes().size());
    }
    return json;
  }
}
