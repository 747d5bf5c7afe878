package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
      "every complete example in docs/policies.md compiles with -Xlint:all -Werror, and the text and tool-call ones do what they say")
  void examplesCompileAndRun(@TempDir Path dir) throws Exception {
    Matcher example =
        Pattern.compile("```java\n(package com\\.example;.*?)```", Pattern.DOTALL)
            .matcher(RepoFiles.read("docs/policies.md"));
    List<Path> sources = new ArrayList<>();
    while (example.find()) {
      Matcher className = Pattern.compile("public final class (\\w+)").matcher(example.group(1));
      assertThat(className.find()).as("an example names its class").isTrue();
      Path source = dir.resolve("com/example/" + className.group(1) + ".java");
      Files.createDirectories(source.getParent());
      Files.writeString(source, example.group(1));
      sources.add(source);
    }
    assertThat(sources).as("docs/policies.md has its three complete examples").hasSize(3);
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
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromPaths(sources))
            .call();

    assertThat(compiled).as(errors.toString()).isTrue();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Policy banned =
          (Policy)
              loader
                  .loadClass("com.example.BannedWordPolicy")
                  .getConstructor(PolicyConfig.class)
                  .newInstance(
                      new PolicyConfig("BannedWordPolicy", new JsonObject().put("word", "secret")));
      JsonObject masked =
          new PolicyHarness(banned, new JsonObject())
              .response(
                  Completions.completion(
                      "c",
                      0,
                      "m",
                      Completions.choice(0, Messages.assistant("the secret is 42"), "stop")))
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      assertThat(Completions.text(masked)).isEqualTo("the ****** is 42");
      List<JsonObject> streamed =
          new PolicyHarness(banned, new JsonObject())
              .stream(
                      List.of(
                          Chunks.chunk(
                              "c", 0, "m", new JsonObject().put("content", "the sec"), null),
                          Chunks.chunk(
                              "c", 0, "m", new JsonObject().put("content", "ret is 42"), "stop")))
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get()
                  .chunks();
      assertThat(
              streamed.stream()
                  .map(Chunks::textDelta)
                  .filter(t -> t != null)
                  .reduce("", String::concat))
          .as("a word split across chunks is masked")
          .isEqualTo("the ****** is 42");

      Policy noSudo =
          (Policy) loader.loadClass("com.example.NoSudoPolicy").getConstructor().newInstance();
      JsonObject call =
          new JsonObject()
              .put("id", "call_1")
              .put("type", "function")
              .put(
                  "function",
                  new JsonObject()
                      .put("name", "Bash")
                      .put("arguments", new JsonObject().put("command", "sudo rm -rf /").encode()));
      JsonObject answer =
          Completions.completion(
              "c",
              0,
              "m",
              Completions.choice(
                  0,
                  Messages.assistant("").put("tool_calls", new JsonArray().add(call)),
                  "tool_calls"));
      JsonObject judged =
          new PolicyHarness(noSudo, new JsonObject())
              .response(answer)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      assertThat(Completions.toolCalls(judged)).isEmpty();
      assertThat(Completions.finishReason(judged)).isEqualTo("stop");
      assertThat(Completions.text(judged)).contains("sudo is not allowed");
    }
  }
}
