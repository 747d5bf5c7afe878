package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.policy.Policy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy author's page shows a policy that compiles against today's API and does what it says.
 */
class PolicyExampleTest {

  @Test
  @DisplayName(
      "the complete example in docs/policies.md compiles with -Xlint:all -Werror and masks the word")
  void exampleCompilesAndRuns(@TempDir Path dir) throws Exception {
    Matcher example =
        Pattern.compile("```java\n(package com\\.example;.*?)```", Pattern.DOTALL)
            .matcher(RepoFiles.read("docs/policies.md"));
    assertThat(example.find()).as("docs/policies.md has a complete example").isTrue();
    Path source = dir.resolve("com/example/BannedWordPolicy.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, example.group(1));
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
                    "-Xlint:all",
                    "-Werror",
                    "-proc:none",
                    "-d",
                    dir.toString(),
                    "-cp",
                    System.getProperty("java.class.path")),
                null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source))
            .call();

    assertThat(compiled).as(errors.toString()).isTrue();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Policy policy =
          (Policy)
              loader
                  .loadClass("com.example.BannedWordPolicy")
                  .getConstructor(JsonObject.class)
                  .newInstance(new JsonObject().put("word", "secret"));
      JsonObject answer =
          new JsonObject()
              .put(
                  "choices",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("index", 0)
                              .put(
                                  "message",
                                  new JsonObject()
                                      .put("role", "assistant")
                                      .put("content", "the secret is 42"))));
      JsonObject masked =
          policy.onResponse(answer, null).toCompletionStage().toCompletableFuture().get();
      assertThat(
              masked
                  .getJsonArray("choices")
                  .getJsonObject(0)
                  .getJsonObject("message")
                  .getString("content"))
          .isEqualTo("the ****** is 42");
    }
  }
}
