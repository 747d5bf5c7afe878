package io.luthien.launcher;

import io.luthien.debug.DebugVerticle;
import io.luthien.gateway.GatewayVerticle;
import io.luthien.recorder.RecorderStats;
import io.luthien.recorder.RecorderVerticle;
import io.vertx.core.Deployable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What a node's start has brought up, kept for the banner that reports it once the node is ready.
 */
final class NodeParts {

  private final Map<Role, Deployable> firstInstances = new ConcurrentHashMap<>();
  private final List<RecorderStats> recorders = new CopyOnWriteArrayList<>();
  private volatile NodeEndpoint endpoint;
  private volatile EmbeddedDatabase database;
  private volatile HazelcastClusterManager cluster;

  /** The role's verticle factory, remembering the first instance it makes. */
  Supplier<Deployable> remembering(Role role, Supplier<Deployable> factory) {
    return () -> {
      Deployable instance = factory.get();
      firstInstances.putIfAbsent(role, instance);
      if (instance instanceof RecorderVerticle recorder) {
        recorders.add(recorder.stats());
      }
      return instance;
    };
  }

  /** The port the role's HTTP server really listens on (all its instances share it). */
  OptionalInt listeningPort(Role role) {
    Deployable instance = firstInstances.get(role);
    if (instance instanceof GatewayVerticle gateway) {
      return OptionalInt.of(gateway.actualPort());
    }
    if (instance instanceof DebugVerticle debug) {
      return OptionalInt.of(debug.actualPort());
    }
    return OptionalInt.empty();
  }

  /** The running numbers of every recorder instance of this node. */
  List<RecorderStats> recorderStats() {
    return List.copyOf(recorders);
  }

  void endpoint(NodeEndpoint started) {
    endpoint = started;
  }

  Optional<NodeEndpoint> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  void database(EmbeddedDatabase started) {
    database = started;
  }

  Optional<EmbeddedDatabase> database() {
    return Optional.ofNullable(database);
  }

  void cluster(HazelcastClusterManager joined) {
    cluster = joined;
  }

  Optional<HazelcastClusterManager> cluster() {
    return Optional.ofNullable(cluster);
  }
}
