package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An all-in-one node with a policy file, in front of a fake OpenAI upstream, and a client. */
record SdkNode(Vertx vertx, WebClient client, FakeUpstream upstream, int port, int debugPort) {

  static SdkNode start(
      Vertx clientVertx, WebClient client, FakeUpstream upstream, Path policyFile, String... extra)
      throws Exception {
    int port = NodeFixture.freePort();
    int debugPort = NodeFixture.freePort();
    Map<String, String> env =
        NodeFixture.env(
            "GATEWAY_PORT",
            port,
            "DEBUG_PORT",
            debugPort,
            "OPENAI_BASE_URL",
            upstream.baseUrl(),
            "DATABASE_URL",
            LocalServices.POSTGRES_URL,
            "POLICY_CONFIG",
            policyFile);
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    Vertx node = NodeFixture.startNode(List.of(), env);
    return new SdkNode(node, client, upstream, port, debugPort);
  }

  JsonObject chat(String text, boolean stream) {
    return NodeFixture.chat("gpt-4o-mini", text, stream);
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(client.post(port, "127.0.0.1", path).sendJsonObject(body));
  }

  /**
   * The call's record from the debug API once it has {@code events} events at least (the recorder
   * writes in batches).
   */
  JsonObject recorded(String callId, int events) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<Buffer> response =
          await(client.get(debugPort, "127.0.0.1", "/debug/calls/" + callId).send());
      if (response.statusCode() == 200
          && response.bodyAsJsonObject().getJsonArray("events").size() >= events) {
        return response.bodyAsJsonObject();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("call " + callId + " not recorded: " + response.bodyAsString());
      }
      io.luthien.shared.LocalServices.sleep(100);
    }
  }

  /** The assistant's text of an OpenAI-shaped call, whole or streamed; fails on a non-200. */
  String openAiText(JsonObject request) {
    HttpResponse<Buffer> response = post("/v1/chat/completions", request);
    if (response.statusCode() != 200) {
      throw new AssertionError(response.statusCode() + " " + response.bodyAsString());
    }
    return NodeFixture.assistantText(response.bodyAsString(), request.getBoolean("stream", false));
  }

  static List<JsonObject> sseData(String body) {
    List<JsonObject> data = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      if (line.startsWith("data: {")) {
        data.add(new JsonObject(line.substring(6)));
      }
    }
    return data;
  }

  static List<String> sseEventNames(String body) {
    List<String> names = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      if (line.startsWith("event: ")) {
        names.add(line.substring(7).strip());
      }
    }
    return names;
  }

  static String openAiStreamText(List<JsonObject> chunks) {
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
        if (delta != null) {
          text.append(delta.getString("content", ""));
        }
      }
    }
    return text.toString();
  }
}
