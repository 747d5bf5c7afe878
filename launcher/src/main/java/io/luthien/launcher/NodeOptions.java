package io.luthien.launcher;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one process runs: which roles, whether it joins a cluster, and the configuration handed to
 * every verticle (the environment, keyed by variable name). Command-line flags win over the
 * environment.
 */
record NodeOptions(Set<Role> roles, boolean clustered, ClusterSettings cluster, JsonObject config) {

  static final String USAGE =
      """
      usage: java -jar luthien-vertx.jar [--roles gateway,policy,recorder,debug] [--cluster]
        --roles   the verticles this node runs (default: all; known: %s)
        --cluster join the cluster (implied by --roles with a subset, or by CLUSTER_MEMBERS)
      configuration comes from environment variables: see README.md"""
          .formatted(Role.known());

  static NodeOptions parse(List<String> args, Map<String, String> env) {
    JsonObject config = new JsonObject();
    env.forEach(config::put);
    Set<Role> roles = EnumSet.allOf(Role.class);
    boolean clusterFlag = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--cluster")) {
        clusterFlag = true;
      } else if (arg.equals("--roles") && i + 1 < args.size()) {
        roles = parseRoles(args.get(++i));
      } else if (arg.startsWith("--roles=")) {
        roles = parseRoles(arg.substring("--roles=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    Settings settings = new Settings(config);
    boolean clustered =
        clusterFlag
            || !roles.equals(EnumSet.allOf(Role.class))
            || settings.string("CLUSTER_MEMBERS", null) != null;
    return new NodeOptions(roles, clustered, ClusterSettings.from(settings), config);
  }

  /**
   * One recorder and one debug instance by default: the debug node holds one activity subscription.
   */
  int instances(Role role) {
    return switch (role) {
      case GATEWAY -> gatewayInstances();
      case POLICY -> policyInstances();
      case RECORDER, DEBUG -> new Settings(config).integer(role.instancesVariable(), 1);
    };
  }

  /** Without {@code DATABASE_URL}, a node that stores calls starts its own embedded PostgreSQL. */
  boolean embeddedDatabase() {
    return roles.stream().anyMatch(Role::storesCalls)
        && new Settings(config).string(DatabaseSettings.DATABASE_URL, null) == null;
  }

  /**
   * Configured by {@code EVENT_LOOPS}; a co-located node gets one loop per gateway instance; else
   * Vert.x's default.
   */
  OptionalInt eventLoops() {
    OptionalInt configured = new Settings(config).optionalInteger("EVENT_LOOPS");
    return configured.isPresent() || !colocated() ? configured : OptionalInt.of(gatewayInstances());
  }

  int gatewayInstances() {
    return new Settings(config)
        .integer(Role.GATEWAY.instancesVariable(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * With gateway and policy in one JVM, one policy instance per gateway instance (and as many event
   * loops): Vert.x hands event loops out in turn, so each gateway instance then shares its loop
   * with a policy instance.
   */
  int policyInstances() {
    return new Settings(config)
        .integer(Role.POLICY.instancesVariable(), colocated() ? gatewayInstances() : 1);
  }

  /**
   * The roles in deployment order, with the instance count of those that run several: {@code policy
   * x2, recorder}.
   */
  String describeRoles() {
    return roles.stream()
        .map(role -> instances(role) > 1 ? role.label() + " x" + instances(role) : role.label())
        .collect(Collectors.joining(", "));
  }

  /**
   * {@code luthien} for the all-in-one node, else {@code luthien-<role>[-<role>...]};
   * OTEL_SERVICE_NAME wins.
   */
  String serviceName() {
    if (roles.equals(EnumSet.allOf(Role.class))) {
      return "luthien";
    }
    return "luthien-" + roles.stream().map(Role::label).collect(Collectors.joining("-"));
  }

  boolean colocated() {
    return roles.contains(Role.GATEWAY) && roles.contains(Role.POLICY);
  }

  private static Set<Role> parseRoles(String list) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Arrays.stream(list.split(","))
        .filter(part -> !part.isBlank())
        .map(Role::parse)
        .forEach(roles::add);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("--roles needs at least one of: " + Role.known());
    }
    return roles;
  }
}
