package io.luthien.policy;

import io.luthien.policy.api.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every policy class a policy file may name: the shipped ones and those of the plugin jars in
 * {@code POLICY_PLUGINS_DIR}, each listed by its jar in {@value #INDEX} (one class name per line,
 * {@code #} starts a comment), plus any class named by its full name. Plugins are loaded once, at
 * start.
 */
final class PolicyCatalog {

  private static final Logger log = LoggerFactory.getLogger(PolicyCatalog.class);

  static final String INDEX = "META-INF/luthien-policies";

  private final ClassLoader loader;
  private final Map<String, Class<? extends Policy>> bySimpleName;

  private PolicyCatalog(ClassLoader loader, Map<String, Class<? extends Policy>> bySimpleName) {
    this.loader = loader;
    this.bySimpleName = bySimpleName;
  }

  /** The shipped policies, plus the jars of {@code pluginsDir} when it is set. */
  static PolicyCatalog load(String pluginsDir) {
    ClassLoader parent = PolicyCatalog.class.getClassLoader();
    ClassLoader loader = pluginsDir == null ? parent : pluginLoader(Path.of(pluginsDir), parent);
    Map<String, Class<? extends Policy>> byName = new TreeMap<>();
    for (String className : listed(loader)) {
      Class<? extends Policy> type = listedClass(className, loader);
      Class<? extends Policy> previous = byName.putIfAbsent(type.getSimpleName(), type);
      if (previous != null && previous != type) {
        log.warn(
            "two policies are named {}: {} and {}; the simple name means the first",
            type.getSimpleName(),
            previous.getName(),
            type.getName());
      }
    }
    return new PolicyCatalog(loader, byName);
  }

  private static List<String> listed(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    try {
      for (URL index : Collections.list(loader.getResources(INDEX))) {
        try (InputStream in = index.openStream()) {
          for (String line :
              new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
            String name = line.replaceFirst("#.*", "").trim();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the policy index " + INDEX + ": " + e, e);
    }
    return names;
  }

  private static Class<? extends Policy> listedClass(String name, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(name, false, loader);
      if (!Policy.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            INDEX + " lists " + name + ", which does not implement " + Policy.class.getName());
      }
      return type.asSubclass(Policy.class);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          INDEX + " lists " + name + ", which cannot be loaded: " + e, e);
    }
  }

  private static ClassLoader pluginLoader(Path dir, ClassLoader parent) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("POLICY_PLUGINS_DIR=" + dir + " is not a directory");
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("POLICY_PLUGINS_DIR: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "POLICY_PLUGINS_DIR=" + dir + " cannot be read: " + e.getMessage(), e);
    }
    log.debug("policy plugins: {}", jars);
    return new URLClassLoader("policy-plugins", jars.toArray(URL[]::new), parent);
  }

  /** Every policy known by simple name, sorted. */
  List<String> names() {
    return List.copyOf(bySimpleName.keySet());
  }

  /** Every policy class known by simple name, sorted by that name. */
  Map<String, Class<? extends Policy>> classes() {
    return Collections.unmodifiableMap(bySimpleName);
  }

  /**
   * The class {@code reference} names: a simple name, a full Java name, or luthien-proxy's {@code
   * module.path:ClassName}.
   */
  Class<? extends Policy> resolve(String reference, String where) {
    String name = reference.trim();
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      name = name.substring(colon + 1);
    }
    Class<? extends Policy> known = bySimpleName.get(name);
    if (known != null) {
      return known;
    }
    if (name.contains(".")) {
      return byFullName(name, where);
    }
    throw new IllegalArgumentException(
        where
            + ".class: no policy class '"
            + reference
            + "' (known: "
            + String.join(", ", bySimpleName.keySet())
            + ")");
  }

  private Class<? extends Policy> byFullName(String name, String where) {
    Class<?> type;
    try {
      type = Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          where
              + ".class: no policy class '"
              + name
              + "' (known: "
              + String.join(", ", bySimpleName.keySet())
              + ")");
    }
    if (!Policy.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          where + ".class: " + name + " does not implement " + Policy.class.getName());
    }
    return type.asSubclass(Policy.class);
  }
}
