package io.luthien.launcher;

import io.luthien.shared.Settings;
import java.util.Arrays;
import java.util.List;

/**
 * Cluster membership over TCP (no multicast, so it works on loopback and in compose networks):
 * {@code CLUSTER_MEMBERS} lists the members to contact ("host" or "host:port", comma-separated),
 * {@code CLUSTER_HOST} is this node's address, {@code CLUSTER_PORT} its first Hazelcast port.
 */
record ClusterSettings(String name, String host, String publicHost, int port, List<String> members) {

  static ClusterSettings from(Settings settings) {
    String host = settings.string("CLUSTER_HOST", "127.0.0.1");
    return new ClusterSettings(
        settings.string("CLUSTER_NAME", "luthien"),
        host,
        settings.string("CLUSTER_PUBLIC_HOST", host),
        settings.integer("CLUSTER_PORT", 5701),
        Arrays.stream(settings.string("CLUSTER_MEMBERS", "127.0.0.1").split(","))
            .map(String::trim)
            .filter(member -> !member.isEmpty())
            .toList());
  }
}
