package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The block a node logs once every role is up: the URLs to open, where calls are stored, which
 * policy runs, and the cluster it joined, for the roles this node runs and no others.
 */
final class ReadyBanner {

  private final String headline;
  private final List<Map.Entry<String, String>> rows = new ArrayList<>();

  private ReadyBanner(String headline) {
    this.headline = headline;
  }

  static Future<ReadyBanner> describe(
      Vertx vertx,
      NodeOptions options,
      NodeTelemetry telemetry,
      NodeParts parts,
      Duration startup) {
    ReadyBanner banner =
        new ReadyBanner(
            "luthien node up in "
                + Elapsed.format(startup)
                + ": "
                + options.describeRoles()
                + (options.clustered() ? "" : " (not clustered)"));
    if (options.roles().contains(Role.GATEWAY)) {
      banner.gateway(options, parts);
    }
    if (options.roles().contains(Role.DEBUG)) {
      banner.debug(options, parts);
    }
    parts.endpoint().ifPresent(endpoint -> banner.nodePort(endpoint, telemetry.enabled()));
    if (options.roles().stream().anyMatch(Role::storesCalls)) {
      banner.row("storage", StorageDescription.calls(options.config(), parts.database()));
      banner.row("live feed", StorageDescription.activityFeed(options.config()));
    }
    Future<ReadyBanner> described = Future.succeededFuture(banner);
    if (options.roles().contains(Role.POLICY)) {
      described =
          PolicyDescription.of(vertx, options.config()).map(policy -> banner.row("policy", policy));
    }
    return described.map(
        done -> {
          parts.cluster().ifPresent(cluster -> banner.cluster(options.cluster(), cluster));
          return banner;
        });
  }

  /** The headline, then one aligned {@code label value} row per line. */
  String text() {
    int width = rows.stream().mapToInt(row -> row.getKey().length()).max().orElse(0);
    StringBuilder text = new StringBuilder(headline);
    for (Map.Entry<String, String> row : rows) {
      text.append("\n  ")
          .append(row.getKey())
          .append(" ".repeat(width - row.getKey().length() + 2))
          .append(row.getValue());
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return text();
  }

  private ReadyBanner row(String label, String value) {
    rows.add(Map.entry(label, value));
    return this;
  }

  private void gateway(NodeOptions options, NodeParts parts) {
    ListenAddress address = Role.GATEWAY.listenAddress(options.config()).orElseThrow();
    int port = parts.listeningPort(Role.GATEWAY).orElse(address.port());
    row("OpenAI API", address.url(port, "/v1"));
    row(
        "Anthropic API",
        address.url(port, "") + "  (the base URL of Anthropic SDKs and Claude Code)");
  }

  private void debug(NodeOptions options, NodeParts parts) {
    ListenAddress address = Role.DEBUG.listenAddress(options.config()).orElseThrow();
    int port = parts.listeningPort(Role.DEBUG).orElse(address.port());
    row("debug pages", address.url(port, "/"));
    row("diff viewer", address.url(port, "/debug/diff"));
    row("live activity", address.url(port, "/activity/monitor"));
    row("recorded calls", address.url(port, "/debug/calls"));
    row("policies", address.url(port, "/policies"));
  }

  private void nodePort(NodeEndpoint endpoint, boolean metrics) {
    if (metrics) {
      row("metrics", endpoint.address().url(endpoint.actualPort(), "/metrics"));
    }
    row("health", endpoint.address().url(endpoint.actualPort(), "/health"));
  }

  private void cluster(ClusterSettings settings, HazelcastClusterManager cluster) {
    int port = cluster.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    int members = cluster.getNodes().size();
    row(
        "cluster",
        "'"
            + settings.name()
            + "' as "
            + settings.host()
            + ":"
            + port
            + (port == settings.port() ? "" : " (CLUSTER_PORT " + settings.port() + " was taken)")
            + ", "
            + members
            + (members == 1 ? " member" : " members")
            + " so far; contacts "
            + String.join(", ", settings.members()));
  }
}
