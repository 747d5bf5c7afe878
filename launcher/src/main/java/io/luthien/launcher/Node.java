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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one process's Vert.x (clustered or not) and deploys its roles, policy before gateway. */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private Node() {
  }

  static Future<Vertx> start(NodeOptions options) {
    return start(options, sdk -> {
    });
  }

  /** {@code sdkCustomizer} lets tests add in-memory exporters to the node's real telemetry configuration. */
  static Future<Vertx> start(NodeOptions options, Consumer<AutoConfiguredOpenTelemetrySdkBuilder> sdkCustomizer) {
    NodeTelemetry telemetry = NodeTelemetry.start(TelemetrySettings.from(options.config(), options.serviceName()),
        sdkCustomizer);
    LogExport.install(telemetry);
    NodeHealth health = new NodeHealth(options.roles());
    return createVertx(options, telemetry, health).compose(vertx -> deployTelemetry(vertx, telemetry, health)
        .compose(v -> deployRoles(vertx, options, telemetry))
        .onSuccess(v -> health.ready())
        .map(vertx)
        // Closed after the failure is reported, not before: a listener of the close would run on the event loop
        // the close shuts down, and the start would never complete.
        .onFailure(failure -> vertx.close()
            .onFailure(closing -> log.warn("closing the node after its failed start failed too", closing))));
  }

  private static Future<Vertx> createVertx(NodeOptions options, NodeTelemetry telemetry, NodeHealth health) {
    VertxOptions vertxOptions = new VertxOptions();
    options.eventLoops().ifPresent(vertxOptions::setEventLoopPoolSize);
    if (!options.clustered()) {
      return Future.succeededFuture(VertxTelemetry.instrument(Vertx.builder(), vertxOptions, telemetry)
          .with(vertxOptions)
          .build());
    }
    ClusterSettings cluster = options.cluster();
    vertxOptions.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(0)
        .setClusterPublicHost(cluster.publicHost());
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcastConfig(cluster));
    health.clustered(clusterManager);
    return VertxTelemetry.instrument(Vertx.builder(), vertxOptions, telemetry)
        .with(vertxOptions)
        .withClusterManager(clusterManager)
        .buildClustered()
        .onSuccess(vertx -> log.info("joined cluster '{}' as {} (members: {})", cluster.name(), cluster.host(),
            cluster.members()));
  }

  private static Future<Void> deployTelemetry(Vertx vertx, NodeTelemetry telemetry, NodeHealth health) {
    Future<?> deployed = Future.succeededFuture();
    if (telemetry.enabled()) {
      deployed = vertx.deployVerticle(new TelemetryShutdown(telemetry));
    } else {
      log.info("telemetry is off (OTEL_ENABLED=false or OTEL_SDK_DISABLED=true)");
    }
    if (telemetry.settings().metricsPort() >= 0) {
      deployed = deployed.compose(v -> vertx.deployVerticle(new NodeEndpoint(telemetry, health)));
    }
    return deployed.mapEmpty();
  }

  private static Future<Void> deployRoles(Vertx vertx, NodeOptions options, NodeTelemetry telemetry) {
    JsonObject config = options.config().copy();
    Future<Void> deployed = options.embeddedDatabase() ? startEmbeddedDatabase(vertx, options, config)
        : Future.succeededFuture();
    for (Role role : Role.values()) {
      if (options.roles().contains(role)) {
        int instances = options.instances(role);
        deployed = deployed
            .compose(v -> vertx.deployVerticle(() -> role.create(telemetry.openTelemetry()), new DeploymentOptions()
                .setConfig(config.copy())
                .setInstances(instances)))
            .onSuccess(id -> log.info("{} role deployed ({} instances)", role.label(), instances))
            .mapEmpty();
      }
    }
    return deployed;
  }

  private static Future<Void> startEmbeddedDatabase(Vertx vertx, NodeOptions options, JsonObject config) {
    if (options.clustered()) {
      log.warn("DATABASE_URL is not set: this node stores calls in its own embedded PostgreSQL, which other "
          + "nodes of the cluster do not see. Set DATABASE_URL on every recorder and debug node.");
    }
    EmbeddedDatabase database = new EmbeddedDatabase();
    return vertx.deployVerticle(database, new DeploymentOptions().setConfig(config))
        .onSuccess(id -> config.put(DatabaseSettings.DATABASE_URL, database.url()))
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
