package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.ScriptedUpstream.Answer;
import io.luthien.launcher.ScriptedUpstream.Call;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The history API through the gateway's port, on one node with every role, its own fresh database
 * and AllCapsPolicy, after a Claude Code–shaped session of real calls: a tool call, its result and
 * the user's next words, then a last question.
 */
class HistoryEndToEndTest {

  private static final String ADMIN_KEY = "admin-key-for-tests";
  private static final String CLIENT_KEY = "sk-ant-client-key-for-history";

  private Vertx client;
  private Vertx node;
  private WebClient web;
  private String database;
  private int gatewayPort;

  @BeforeEach
  void start() throws IOException {
    database = LocalServices.freshDatabase();
    client = Vertx.vertx();
    web = WebClient.create(client);
    ScriptedUpstream upstream = await(ScriptedUpstream.start(client));
    upstream.answer(
        request ->
            request.getJsonArray("messages").size() <= 2
                ? Answer.text("Listing files.")
                    .withToolCalls(new Call("Bash", "{\"command\":\"ls\"}"))
                : Answer.text("Done."));
    gatewayPort = NodeFixture.freePort();
    node =
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "ADMIN_API_KEY",
                ADMIN_KEY,
                "DATABASE_URL",
                database,
                "POLICY_CONFIG",
                NodeFixture.allCapsPolicyFile(),
                "OPENAI_BASE_URL",
                upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    await(node.close());
    await(client.close());
    LocalServices.dropDatabase(database);
  }

  @Test
  @DisplayName(
      "a Claude Code session through the gateway is listed as one session of its key's user, found by a word of its second turn, and read back turn by turn")
  void claudeCodeSession() {
    String session = UUID.randomUUID().toString();
    JsonArray messages = new JsonArray().add(user("list the files here"));
    JsonObject first = claude(session, messages);
    String toolUseId =
        first.getJsonArray("content").stream()
            .map(JsonObject.class::cast)
            .filter(block -> "tool_use".equals(block.getString("type")))
            .findFirst()
            .orElseThrow()
            .getString("id");
    messages
        .add(
            new JsonObject().put("role", "assistant").put("content", first.getJsonArray("content")))
        .add(
            new JsonObject()
                .put("role", "user")
                .put(
                    "content",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "tool_result")
                                .put("tool_use_id", toolUseId)
                                .put("content", "README.md"))
                        .add(
                            new JsonObject()
                                .put("type", "text")
                                .put("text", "now describe the capybara in it"))));
    JsonObject second = claude(session, messages);
    messages
        .add(
            new JsonObject()
                .put("role", "assistant")
                .put("content", second.getJsonArray("content")))
        .add(user("thanks"));
    claude(session, messages);

    JsonObject found = awaitSession("/api/history/sessions?q=capybara", 3);
    JsonObject summary = found.getJsonArray("sessions").getJsonObject(0);
    assertThat(summary.getString("session_id")).isEqualTo(session);
    assertThat(summary.getJsonArray("user_ids"))
        .containsExactly("key-" + sha256(CLIENT_KEY).substring(0, 12));
    assertThat(summary.getLong("policy_interventions")).isEqualTo(3);
    assertThat(summary.getString("preview_message")).isEqualTo("list the files here");

    JsonObject detail = get("/api/history/sessions/" + session).bodyAsJsonObject();
    JsonArray turns = detail.getJsonArray("turns");
    assertThat(turns).hasSize(3);
    assertThat(types(turns.getJsonObject(0), "response_messages"))
        .containsExactly("assistant", "tool_call");
    assertThat(
            turns
                .getJsonObject(0)
                .getJsonArray("response_messages")
                .getJsonObject(1)
                .getString("tool_name"))
        .isEqualTo("Bash");
    JsonObject secondTurn = turns.getJsonObject(1);
    assertThat(types(secondTurn, "request_messages")).containsExactly("tool_result", "user");
    assertThat(secondTurn.getBoolean("response_was_modified")).isTrue();
    assertThat(secondTurn.getJsonArray("response_messages").getJsonObject(0).getString("content"))
        .isEqualTo("DONE.");
    assertThat(
            secondTurn
                .getJsonArray("original_response_messages")
                .getJsonObject(0)
                .getString("content"))
        .isEqualTo("Done.");
    HttpResponse<Buffer> jsonl = get("/api/history/sessions/" + session + "/export/jsonl");
    assertThat(jsonl.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(jsonl.bodyAsString().split("\n")).hasSize(3);
  }

  private JsonObject claude(String session, JsonArray messages) {
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o")
            .put("max_tokens", 1024)
            .put(
                "metadata",
                new JsonObject().put("user_id", "user_ab12_account__session_" + session))
            .put(
                "tools",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "Bash")
                            .put("description", "runs a command")
                            .put(
                                "input_schema",
                                new JsonObject()
                                    .put("type", "object")
                                    .put(
                                        "properties",
                                        new JsonObject()
                                            .put(
                                                "command",
                                                new JsonObject().put("type", "string"))))))
            .put("messages", messages.copy());
    HttpResponse<Buffer> response =
        await(
            web.post(gatewayPort, "127.0.0.1", "/v1/messages")
                .putHeader("x-api-key", CLIENT_KEY)
                .putHeader("anthropic-version", "2023-06-01")
                .sendJsonObject(request));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** Polls until the list holds one session of {@code turns} turns: the recorder batches. */
  private JsonObject awaitSession(String uri, int turns) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonObject page = null;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> response = get(uri);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      page = response.bodyAsJsonObject();
      if (page.getJsonArray("sessions").size() == 1
          && page.getJsonArray("sessions").getJsonObject(0).getLong("turn_count") == turns) {
        return page;
      }
      LocalServices.sleep(100);
    }
    throw new AssertionError("no session of " + turns + " turns within 15 s: " + page);
  }

  private HttpResponse<Buffer> get(String uri) {
    return await(
        web.get(gatewayPort, "127.0.0.1", uri).bearerTokenAuthentication(ADMIN_KEY).send());
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("content", text);
  }

  private static List<String> types(JsonObject turn, String side) {
    return turn.getJsonArray(side).stream()
        .map(message -> ((JsonObject) message).getString("message_type"))
        .toList();
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
