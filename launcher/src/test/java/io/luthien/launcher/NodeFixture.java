package io.luthien.launcher;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Starts real nodes the way {@code Main} does, from arguments and an environment. */
final class NodeFixture {

  private NodeFixture() {}

  static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }

  /**
   * Several nodes share a test JVM, so each serves /metrics on a port of its own unless the test
   * picks one.
   */
  static Vertx startNode(List<String> args, Map<String, String> env) {
    return startNode(args, env, sdk -> {});
  }

  static Vertx startNode(
      List<String> args,
      Map<String, String> env,
      Consumer<AutoConfiguredOpenTelemetrySdkBuilder> sdkCustomizer) {
    return await(start(args, env, sdkCustomizer)).vertx();
  }

  /** The start itself, for tests of how it ends: its banner, or the failure it reports. */
  static Future<RunningNode> start(List<String> args, Map<String, String> env) {
    return start(args, env, sdk -> {});
  }

  private static Future<RunningNode> start(
      List<String> args,
      Map<String, String> env,
      Consumer<AutoConfiguredOpenTelemetrySdkBuilder> sdkCustomizer) {
    Map<String, String> withDefaults = new HashMap<>(env);
    withDefaults.putIfAbsent("METRICS_PORT", "0");
    return Node.start(NodeOptions.parse(args, withDefaults), sdkCustomizer);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Path allCapsPolicyFile() throws IOException {
    Path file = Files.createTempFile("policy", ".yaml");
    Files.writeString(file, "policy:\n  class: AllCapsPolicy\n  config: {}\n");
    file.toFile().deleteOnExit();
    return file;
  }

  static Map<String, String> env(Object... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(String.valueOf(pairs[i]), String.valueOf(pairs[i + 1]));
    }
    return env;
  }

  static JsonObject chat(String model, String text, boolean stream) {
    return new JsonObject()
        .put("model", model)
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  /** The assistant text of a whole completion, or of the SSE chunks of a streamed one. */
  static String assistantText(String body, boolean stream) {
    if (!stream) {
      return new JsonObject(body)
          .getJsonArray("choices")
          .getJsonObject(0)
          .getJsonObject("message")
          .getString("content");
    }
    StringBuilder text = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      if (line.startsWith("data: {")) {
        JsonArray choices = new JsonObject(line.substring(6)).getJsonArray("choices");
        if (!choices.isEmpty()) {
          text.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
        }
      }
    }
    return text.toString();
  }
}
