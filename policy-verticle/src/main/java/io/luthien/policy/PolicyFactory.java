package io.luthien.policy;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the policy a configuration names: {@code {policy: {class, config}}}. The class is a
 * shipped policy's simple name or a fully qualified name of a {@link Policy} on the classpath, with
 * a constructor taking its {@code config} as a {@link JsonObject} or none. An empty document (an
 * empty or comments-only file, YAML {@code ~}) is refused like any broken one.
 */
public final class PolicyFactory {

  private static final Map<String, Function<JsonObject, Policy>> SHIPPED =
      Map.of(
          "NoOpPolicy", config -> new NoOpPolicy(),
          "AllCapsPolicy", config -> new AllCapsPolicy());

  private PolicyFactory() {}

  public static Policy fromConfig(JsonObject document, String origin) {
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
    if (!(section.getValue("class") instanceof String className) || className.isBlank()) {
      throw new IllegalArgumentException(origin + ": 'policy.class' must name a policy class");
    }
    Object rawConfig = section.getValue("config");
    if (rawConfig != null && !(rawConfig instanceof JsonObject)) {
      throw new IllegalArgumentException(origin + ": 'policy.config' must be a mapping");
    }
    JsonObject config = rawConfig == null ? new JsonObject() : (JsonObject) rawConfig;
    Function<JsonObject, Policy> shipped = SHIPPED.get(className);
    return shipped != null ? shipped.apply(config) : instantiate(className, config, origin);
  }

  private static Policy instantiate(String className, JsonObject config, String origin) {
    Class<?> type = policyClass(className, origin);
    try {
      try {
        return (Policy) type.getConstructor(JsonObject.class).newInstance(config);
      } catch (NoSuchMethodException e) {
        return (Policy) type.getConstructor().newInstance();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          origin + ": " + className + " needs a public constructor taking JsonObject or none");
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          origin + ": " + className + " refused its config: " + e.getCause().getMessage(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(origin + ": could not create " + className + ": " + e, e);
    }
  }

  private static Class<?> policyClass(String className, String origin) {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          origin
              + ": no policy class '"
              + className
              + "' (shipped: "
              + String.join(", ", SHIPPED.keySet())
              + ")");
    }
    if (!Policy.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          origin + ": " + className + " does not implement " + Policy.class.getName());
    }
    return type;
  }
}
