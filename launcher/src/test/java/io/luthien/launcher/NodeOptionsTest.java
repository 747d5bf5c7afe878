package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

  @Test
  @DisplayName("with no arguments a node runs every role, not clustered")
  void defaults() {
    NodeOptions options = NodeOptions.parse(List.of(), Map.of());

    assertThat(options.roles()).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(options.clustered()).isFalse();
    assertThat(options.cluster().members()).containsExactly("127.0.0.1");
  }

  @Test
  @DisplayName("a subset of roles, --cluster or CLUSTER_MEMBERS makes the node join the cluster")
  void clusteredWhenAsked() {
    assertThat(NodeOptions.parse(List.of("--roles", "gateway"), Map.of()).clustered()).isTrue();
    assertThat(
            NodeOptions.parse(List.of("--roles=policy,gateway", "--cluster"), Map.of()).clustered())
        .isTrue();
    assertThat(
            NodeOptions.parse(List.of(), Map.of("CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2"))
                .cluster()
                .members())
        .containsExactly("10.0.0.1:5701", "10.0.0.2");
  }

  @Test
  @DisplayName(
      "CLUSTER_HOST=auto is the address the host name resolves to, used for the public address too")
  void clusterHostAuto() throws Exception {
    ClusterSettings cluster =
        NodeOptions.parse(List.of("--roles", "policy"), Map.of("CLUSTER_HOST", "auto")).cluster();

    assertThat(cluster.host()).isEqualTo(java.net.InetAddress.getLocalHost().getHostAddress());
    assertThat(cluster.publicHost()).isEqualTo(cluster.host());
  }

  @Test
  @DisplayName("the environment reaches every verticle's config under the variable's name")
  void environmentBecomesConfig() {
    NodeOptions options = NodeOptions.parse(List.of(), Map.of("GATEWAY_PORT", "9001"));

    assertThat(options.config().getString("GATEWAY_PORT")).isEqualTo("9001");
  }

  @Test
  @DisplayName("an unknown role or argument is refused with the known roles listed")
  void badArguments() {
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--roles", "gateway,cache"), Map.of()))
        .hasMessageContaining("unknown role 'cache'")
        .hasMessageContaining("policy, recorder, gateway, debug");
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--verbose"), Map.of()))
        .hasMessageContaining("--verbose");
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--roles", ","), Map.of()))
        .hasMessageContaining("at least one");
  }

  @Test
  @DisplayName(
      "with gateway and policy in one JVM there is a policy instance per gateway instance; alone, one")
  void policyInstancesFollowGatewayInstances() {
    NodeOptions together = NodeOptions.parse(List.of(), Map.of("GATEWAY_INSTANCES", "3"));
    NodeOptions policyOnly =
        NodeOptions.parse(List.of("--roles", "policy"), Map.of("GATEWAY_INSTANCES", "3"));
    NodeOptions explicit =
        NodeOptions.parse(List.of(), Map.of("GATEWAY_INSTANCES", "3", "POLICY_INSTANCES", "1"));

    assertThat(together.colocated()).isTrue();
    assertThat(together.policyInstances()).isEqualTo(3);
    assertThat(policyOnly.colocated()).isFalse();
    assertThat(policyOnly.policyInstances()).isEqualTo(1);
    assertThat(explicit.policyInstances()).isEqualTo(1);
    assertThat(together.eventLoops()).hasValue(3);
    assertThat(policyOnly.eventLoops()).isEmpty();
    assertThat(NodeOptions.parse(List.of(), Map.of("EVENT_LOOPS", "8")).eventLoops()).hasValue(8);
  }

  @Test
  @DisplayName(
      "recorder and debug run one instance each; a node that stores calls without DATABASE_URL embeds PostgreSQL")
  void storageRoles() {
    NodeOptions all = NodeOptions.parse(List.of(), Map.of());
    NodeOptions gatewayOnly = NodeOptions.parse(List.of("--roles", "gateway,policy"), Map.of());
    NodeOptions withDatabase =
        NodeOptions.parse(
            List.of("--roles", "recorder"), Map.of("DATABASE_URL", "postgresql://db:5432/luthien"));

    assertThat(all.instances(Role.RECORDER)).isEqualTo(1);
    assertThat(all.instances(Role.DEBUG)).isEqualTo(1);
    assertThat(all.embeddedDatabase()).isTrue();
    assertThat(gatewayOnly.embeddedDatabase()).isFalse();
    assertThat(withDatabase.embeddedDatabase()).isFalse();
  }
}
