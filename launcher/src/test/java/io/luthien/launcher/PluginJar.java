package io.luthien.launcher;

import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a policy plugin jar the way a user would: one policy compiled against the policy API, and
 * its {@code META-INF/luthien-policies} index.
 */
final class PluginJar {

  private PluginJar() {}

  /** A directory holding {@code plugin.jar} with {@code packageName.className}, an exclaimer. */
  static Path build(Path dir, String packageName, String className) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("plugin-src"));
    Path classes = Files.createDirectories(dir.resolve("plugin-classes"));
    Path source = sources.resolve(className + ".java");
    Files.writeString(
        source,
        "package "
            + packageName
            + ";\n"
            + "import io.luthien.canonical.Chunks;\n"
            + "import io.luthien.canonical.Completions;\n"
            + "import io.luthien.policy.api.Policy;\n"
            + "import io.luthien.policy.api.PolicyConfig;\n"
            + "import io.luthien.policy.api.PolicyContext;\n"
            + "import io.vertx.core.Future;\n"
            + "import io.vertx.core.json.JsonObject;\n"
            + "import java.util.List;\n"
            + "public final class "
            + className
            + " implements Policy {\n"
            + "  private final String marks;\n"
            + "  public "
            + className
            + "(PolicyConfig config) {\n"
            + "    marks = \"!\".repeat((int) config.allowOnly(\"marks\").integer(\"marks\", 1, 1, 10));\n"
            + "  }\n"
            + "  @Override public Future<JsonObject> onResponse(JsonObject r, PolicyContext c) {\n"
            + "    return Future.succeededFuture(Completions.mapText(r, t -> t + marks));\n"
            + "  }\n"
            + "  @Override public Future<List<JsonObject>> onStreamEnd(PolicyContext c) {\n"
            + "    return Future.succeededFuture(List.of(Chunks.chunk(\"x\", 0, c.model(),"
            + " new JsonObject().put(\"content\", marks), null)));\n"
            + "  }\n"
            + "}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                errors,
                null,
                null,
                List.of(
                    "--release",
                    "17",
                    "-proc:none",
                    "-d",
                    classes.toString(),
                    "-cp",
                    System.getProperty("java.class.path")),
                null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source))
            .call();
    if (!compiled) {
      throw new AssertionError("the plugin did not compile: " + errors);
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    try (OutputStream file = Files.newOutputStream(plugins.resolve("plugin.jar"));
        JarOutputStream jar = new JarOutputStream(file);
        Stream<Path> built = Files.walk(classes)) {
      for (Path classFile : built.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(classFile));
        jar.closeEntry();
      }
      jar.putNextEntry(new JarEntry("META-INF/luthien-policies"));
      jar.write(
          ("# the plugin's policies\n" + packageName + "." + className + "\n")
              .getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return plugins;
  }
}
