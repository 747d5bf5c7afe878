package io.luthien.launcher;

import io.luthien.shared.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Cluster membership over TCP (no multicast, so it works on loopback and in compose networks):
 * {@code CLUSTER_MEMBERS} lists the members to contact ("host" or "host:port", comma-separated),
 * {@code CLUSTER_HOST} is this node's address, {@code CLUSTER_PORT} its first Hazelcast port.
 * {@code CLUSTER_HOST=auto} takes the address this machine's host name resolves to: a container's
 * own address, which replicas of one compose service cannot be given one by one.
 */
record ClusterSettings(
    String name, String host, String publicHost, int port, List<String> members) {

  static final String AUTO = "auto";

  static ClusterSettings from(Settings settings) {
    String host = settings.string("CLUSTER_HOST", "127.0.0.1");
    if (host.equalsIgnoreCase(AUTO)) {
      host = ownAddress();
    }
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

  private static String ownAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "CLUSTER_HOST=auto: this machine's host name does not resolve ("
              + e.getMessage()
              + "); set CLUSTER_HOST to this node's address",
          e);
    }
  }
}
