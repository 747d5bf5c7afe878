package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.MultiSerialPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the policy a configuration names: {@code {policy: {class, config}}}. The class is named by
 * its simple name (a shipped policy or a plugin's), a fully qualified Java name, or luthien-proxy's
 * reference ({@code luthien_proxy.policies.string_replacement_policy:StringReplacementPolicy},
 * matched by the class name after the colon). {@code MultiSerialPolicy} takes {@code policies:
 * [{class, config}, ...]}. A policy class has a public constructor taking a {@link PolicyConfig}, a
 * {@link JsonObject}, or nothing (and then takes no config keys). An empty document (an empty or
 * comments-only file, YAML {@code ~}) is refused like any broken one.
 */
final class PolicyFactory {

  private final PolicyCatalog catalog;
  private final Vertx vertx;

  PolicyFactory(PolicyCatalog catalog, Vertx vertx) {
    this.catalog = catalog;
    this.vertx = vertx;
  }

  Policy fromConfig(JsonObject document, String origin) {
    // An empty document is what a truncated write leaves: refused, never read as "no policy".
    if (document.isEmpty()) {
      throw new IllegalArgumentException(
          origin
              + " is empty: expected a 'policy' mapping with 'class' and 'config'"
              + " (for no policy, name NoOpPolicy or leave POLICY_CONFIG unset)");
    }
    if (!(document.getValue("policy") instanceof JsonObject section)) {
      throw new IllegalArgumentException(
          origin + ": expected a 'policy' mapping with 'class' and 'config'");
    }
    return build(section, origin + ": policy");
  }

  /** A policy given as one {@code {class, config}} section (a trial's candidate), not a file. */
  Policy fromSection(JsonObject section, String where) {
    return build(section, where);
  }

  /** Starts {@code policy} (and, for a chain, each member) before it serves. */
  Future<io.luthien.policy.api.Policy> start(Policy policy, String origin) {
    Future<Void> started;
    try {
      started = policy.start(vertx);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    if (started == null) {
      started = Future.failedFuture(new NullPointerException("start returned null"));
    }
    return started
        .<Policy>map(done -> policy)
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        origin + ": " + policy.name() + " failed to start: " + failure.getMessage(),
                        failure)));
  }

  /**
   * Builds (does not start) the policy of a {@code {class, config}} section; {@code where} names
   * the section in a refusal ({@code policy.yaml: policy}).
   */
  Policy build(JsonObject section, String where) {
    Section read = Section.read(section, where);
    Class<? extends Policy> type = catalog.resolve(read.reference(), where);
    if (type == MultiSerialPolicy.class) {
      return chain(read.config(), where);
    }
    return instantiate(type, read.config(), where);
  }

  /** A {@code {class, config}} section as read: the class reference and the (unwrapped) config. */
  record Section(String reference, JsonObject config) {

    static Section read(JsonObject section, String where) {
      if (!(section.getValue("class") instanceof String reference) || reference.isBlank()) {
        throw new IllegalArgumentException(where + ".class must name a policy class");
      }
      Object rawConfig = section.getValue("config");
      if (rawConfig != null && !(rawConfig instanceof JsonObject)) {
        throw new IllegalArgumentException(where + ".config must be a mapping");
      }
      return new Section(
          reference, unwrapped(rawConfig == null ? new JsonObject() : (JsonObject) rawConfig));
    }
  }

  /**
   * luthien-proxy passes a config either as the constructor's keyword arguments or, for a policy
   * whose constructor takes one {@code config} argument, wrapped in it ({@code config: {config:
   * {model: ...}}}, as its Railway chain does): both forms are read alike.
   */
  private static JsonObject unwrapped(JsonObject config) {
    if (config.size() == 1 && config.getValue("config") instanceof JsonObject inner) {
      return inner;
    }
    return config;
  }

  private Policy chain(JsonObject config, String where) {
    PolicyConfig read = new PolicyConfig("MultiSerialPolicy", config).allowOnly("policies");
    JsonArray members = read.list("policies");
    if (members.isEmpty()) {
      throw read.refused("policies", "must list at least one {class, config}");
    }
    List<Policy> built = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      String member = where + ".config.policies[" + i + "]";
      if (!(members.getValue(i) instanceof JsonObject section)) {
        throw new IllegalArgumentException(member + " must be a mapping with 'class' and 'config'");
      }
      built.add(build(section, member));
    }
    return new MultiSerialPolicy(built);
  }

  private static Policy instantiate(Class<? extends Policy> type, JsonObject config, String where) {
    String name = type.getSimpleName();
    try {
      Constructor<? extends Policy> withConfig = constructor(type, PolicyConfig.class);
      if (withConfig != null) {
        return withConfig.newInstance(new PolicyConfig(name, config));
      }
      Constructor<? extends Policy> withJson = constructor(type, JsonObject.class);
      if (withJson != null) {
        return withJson.newInstance(config);
      }
      Constructor<? extends Policy> bare = constructor(type);
      if (bare == null) {
        throw new IllegalArgumentException(
            where
                + ": "
                + name
                + " needs a public constructor taking PolicyConfig, JsonObject or nothing");
      }
      if (!config.isEmpty()) {
        throw new IllegalArgumentException(
            where
                + ": "
                + name
                + " takes no config keys, got: "
                + String.join(", ", config.fieldNames()));
      }
      return bare.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      throw new IllegalArgumentException(
          where
              + ": "
              + (message.startsWith(name) ? message : name + " refused its config: " + message),
          cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(where + ": could not create " + name + ": " + e, e);
    }
  }

  private static Constructor<? extends Policy> constructor(
      Class<? extends Policy> type, Class<?>... parameters) {
    try {
      return type.getConstructor(parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
