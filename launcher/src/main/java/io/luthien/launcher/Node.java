package io.luthien.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.telemetry.NodeTelemetry;
import io.luthien.shared.telemetry.TelemetrySettings;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one process's Vert.x (clustered or not), deploys its roles, policy before gateway, and
 * says once, for the whole node, that it is up and where to find it.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private Node() {}

  static Future<RunningNode> start(NodeOptions options) {
    return start(options, sdk -> {});
  }

  /**
   * {@code sdkCustomizer} lets tests add in-memory exporters to the node's real telemetry
   * configuration.
   */
  static Future<RunningNode> start(
      NodeOptions options, Consumer<AutoConfiguredOpenTelemetrySdkBuilder> sdkCustomizer) {
    long started = System.nanoTime();
    NodeTelemetry telemetry =
        NodeTelemetry.start(
            TelemetrySettings.from(options.config(), options.serviceName()), sdkCustomizer);
    LogExport.install(telemetry);
    NodeHealth health = new NodeHealth(options.roles());
    NodeParts parts = new NodeParts();
    health.watching(parts);
    return createVertx(options, telemetry, health, parts)
        .compose(
            vertx ->
                deployTelemetry(vertx, telemetry, health, parts)
                    .compose(v -> deployRoles(vertx, options, telemetry, parts))
                    .onSuccess(v -> health.ready())
                    .compose(
                        v ->
                            ReadyBanner.describe(
                                vertx,
                                options,
                                telemetry,
                                parts,
                                Duration.ofNanos(System.nanoTime() - started)))
                    .map(banner -> announce(new RunningNode(vertx, options, banner), parts))
                    // Closed after the failure is reported, not before: a listener of the close
                    // would run on the event loop
                    // the close shuts down, and the start would never complete.
                    .onFailure(
                        failure ->
                            vertx
                                .close()
                                .onFailure(
                                    closing ->
                                        log.warn(
                                            "closing the node after its failed start failed too",
                                            closing))));
  }

  private static RunningNode announce(RunningNode node, NodeParts parts) {
    OpenAccessWarnings.of(node.options(), parts).forEach(log::warn);
    log.info("{}", node.banner());
    return node;
  }

  private static Future<Vertx> createVertx(
      NodeOptions options, NodeTelemetry telemetry, NodeHealth health, NodeParts parts) {
    VertxOptions vertxOptions = new VertxOptions();
    options.eventLoops().ifPresent(vertxOptions::setEventLoopPoolSize);
    if (!options.clustered()) {
      return Future.succeededFuture(
          VertxTelemetry.instrument(Vertx.builder(), vertxOptions, telemetry)
              .with(vertxOptions)
              .build());
    }
    ClusterSettings cluster = options.cluster();
    vertxOptions
        .getEventBusOptions()
        .setHost(cluster.host())
        .setPort(0)
        .setClusterPublicHost(cluster.publicHost());
    Config hazelcast = hazelcastConfig(cluster);
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcast);
    health.clustered(clusterManager);
    parts.cluster(clusterManager);
    return VertxTelemetry.instrument(Vertx.builder(), vertxOptions, telemetry)
        .with(vertxOptions)
        .withClusterManager(clusterManager)
        .buildClustered()
        .recover(failure -> Future.failedFuture(explained(cluster, hazelcast, failure)))
        .onSuccess(
            vertx ->
                log.debug(
                    "joined cluster '{}' as {} (members: {})",
                    cluster.name(),
                    cluster.host(),
                    cluster.members()));
  }

  /**
   * Hazelcast tries {@code CLUSTER_PORT} and the ports after it: when every one is taken, it says
   * so.
   */
  private static Throwable explained(ClusterSettings cluster, Config hazelcast, Throwable failure) {
    if (!PortInUse.causedByBind(failure)) {
      return failure;
    }
    int last = cluster.port() + hazelcast.getNetworkConfig().getPortCount() - 1;
    return PortInUse.problem(
        cluster.host()
            + ":"
            + cluster.port()
            + " to "
            + last
            + " (CLUSTER_PORT and the ports Hazelcast tries after it)",
        "CLUSTER_PORT",
        failure);
  }

  private static Future<Void> deployTelemetry(
      Vertx vertx, NodeTelemetry telemetry, NodeHealth health, NodeParts parts) {
    Future<?> deployed = Future.succeededFuture();
    if (telemetry.enabled()) {
      deployed = vertx.deployVerticle(new TelemetryShutdown(telemetry));
    } else {
      log.info("telemetry is off (OTEL_ENABLED=false or OTEL_SDK_DISABLED=true)");
    }
    if (telemetry.settings().metricsPort() >= 0) {
      NodeEndpoint endpoint = new NodeEndpoint(telemetry, health);
      deployed =
          deployed
              .compose(v -> vertx.deployVerticle(endpoint))
              .onSuccess(id -> parts.endpoint(endpoint));
    }
    return deployed.mapEmpty();
  }

  private static Future<Void> deployRoles(
      Vertx vertx, NodeOptions options, NodeTelemetry telemetry, NodeParts parts) {
    JsonObject config = options.config().copy();
    Future<Void> deployed =
        options.embeddedDatabase()
            ? startEmbeddedDatabase(vertx, options, config, parts)
            : Future.succeededFuture();
    for (Role role : Role.values()) {
      if (options.roles().contains(role)) {
        deployed =
            deployed.compose(
                v -> deployRole(vertx, role, options.instances(role), config, telemetry, parts));
      }
    }
    return deployed;
  }

  private static Future<Void> deployRole(
      Vertx vertx,
      Role role,
      int instances,
      JsonObject config,
      NodeTelemetry telemetry,
      NodeParts parts) {
    return vertx
        .deployVerticle(
            parts.remembering(role, () -> role.create(telemetry.openTelemetry())),
            new DeploymentOptions().setConfig(config.copy()).setInstances(instances))
        .recover(failure -> Future.failedFuture(explained(role, config, failure)))
        .onSuccess(id -> log.debug("{} role deployed ({} instances)", role.label(), instances))
        .mapEmpty();
  }

  /**
   * A role that cannot bind its port fails with the port and its variable named, not a bare
   * BindException.
   */
  private static Throwable explained(Role role, JsonObject config, Throwable failure) {
    if (!PortInUse.causedByBind(failure)) {
      return failure;
    }
    return role.listenAddress(config)
        .<Throwable>map(address -> PortInUse.problem(address, failure))
        .orElse(failure);
  }

  private static Future<Void> startEmbeddedDatabase(
      Vertx vertx, NodeOptions options, JsonObject config, NodeParts parts) {
    if (options.clustered()) {
      log.warn(
          "DATABASE_URL is not set: this node stores calls in its own embedded PostgreSQL, which other "
              + "nodes of the cluster do not see. Set DATABASE_URL on every recorder and debug node.");
    }
    EmbeddedDatabase database = new EmbeddedDatabase();
    return vertx
        .deployVerticle(database, new DeploymentOptions().setConfig(config))
        .onSuccess(
            id -> {
              config.put(DatabaseSettings.DATABASE_URL, database.url());
              parts.database(database);
            })
        .mapEmpty();
  }

  static Config hazelcastConfig(ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    network.setPublicAddress(cluster.publicHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }
}
