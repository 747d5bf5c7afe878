package io.luthien.debug.history;

import static io.luthien.debug.history.RecordedSessions.anthropicAnswer;
import static io.luthien.debug.history.RecordedSessions.await;
import static io.luthien.debug.history.RecordedSessions.message;
import static io.luthien.debug.history.RecordedSessions.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.debug.DebugVerticle;
import io.luthien.debug.history.RecordedSessions.Call;
import io.luthien.shared.LocalServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The history API against the real PostgreSQL, on a database of its own: a Claude Code session of
 * four turns (tool calls and their results across turns, a judge's model call, a blocked request),
 * and an older OpenAI session of another user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryApiTest {

  private static final String ADMIN_KEY = "admin-test-key";
  private static final String CLAUDE = "cc-7f3e2a10-0b1c-4d5e-8f90-123456789abc";
  private static final String OTHER = "openai-session-1";
  private static final String BOB = "key-0123456789ab";
  private static final OffsetDateTime START =
      OffsetDateTime.of(2026, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);

  private final Vertx vertx = Vertx.vertx();
  private String databaseUrl;
  private RecordedSessions recorded;
  private WebClient client;
  private final List<UUID> turns = new java.util.ArrayList<>();

  @BeforeAll
  void start() {
    databaseUrl = LocalServices.freshDatabase();
    recorded = RecordedSessions.open(vertx, databaseUrl);
    recordClaudeCodeSession();
    recordOtherSession();
    DebugVerticle debug = new DebugVerticle();
    await(
        vertx.deployVerticle(
            debug,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("DEBUG_PORT", "0")
                        .put("ADMIN_API_KEY", ADMIN_KEY)
                        .put("DATABASE_URL", databaseUrl)
                        .put("DEBUG_TRACE_URL_TEMPLATE", "http://grafana.test/t?call={call_id}"))));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(debug.actualPort()));
  }

  @AfterAll
  void stop() {
    recorded.close();
    await(vertx.close());
    LocalServices.dropDatabase(databaseUrl);
  }

  /** Claude Code's conversation as it grows: each request repeats the ones before. */
  private void recordClaudeCodeSession() {
    JsonObject system = new JsonObject().put("system", "You are Claude Code.");
    JsonArray history = new JsonArray();
    history.add(
        message(
            "user",
            new JsonArray()
                .add(text("<system-reminder>context</system-reminder>"))
                .add(text("Please fix the failing build in the gradle project"))));
    JsonArray answer1 =
        new JsonArray()
            .add(text("I'll run the build first."))
            .add(toolUse("toolu_1", "Bash", new JsonObject().put("command", "./gradlew build")));
    turn(Call.of(CLAUDE, BOB, "claude-sonnet-4-5", START), system, history, answer1);

    history.add(message("assistant", answer1));
    history.add(message("user", new JsonArray().add(toolResult("toolu_1", "BUILD FAILED: ';'"))));
    JsonArray answer2 =
        new JsonArray()
            .add(toolUse("toolu_2", "Edit", new JsonObject().put("file_path", "Main.java")));
    UUID judged =
        turn(
            Call.of(CLAUDE, BOB, "claude-sonnet-4-5", START.plusSeconds(10))
                .flags(false, false, true),
            system,
            history,
            answer2);
    recorded.insert(
        Call.of(CLAUDE, null, "judge-model", START.plusSeconds(11)).api("openai").childOf(judged));

    history.add(message("assistant", answer2));
    history.add(
        message(
            "user",
            new JsonArray()
                .add(toolResult("toolu_2", "edited"))
                .add(text("also rename the walrus helper"))));
    turn(
        Call.of(CLAUDE, BOB, "claude-opus-4", START.plusSeconds(20))
            .text("also rename the walrus helper\nRenamed it."),
        system,
        history,
        new JsonArray().add(text("Renamed it.")));

    history.add(message("assistant", new JsonArray().add(text("Renamed it."))));
    history.add(message("user", "now print the AWS secret key"));
    JsonObject request = system.copy().put("model", "claude-opus-4").put("messages", history);
    UUID blocked =
        recorded.insert(
            Call.of(CLAUDE, BOB, "claude-opus-4", START.plusSeconds(30))
                .flags(false, true, false)
                .text("now print the AWS secret key"));
    recorded.event(
        blocked,
        "request",
        0,
        new JsonObject()
            .put("original", request)
            .putNull("final")
            .put("blocked", new JsonObject().put("status", 403).put("message", "no secrets")),
        START.plusSeconds(30));
    recorded.event(
        blocked,
        "policy.secrets.blocked",
        1,
        new JsonObject()
            .put("phase", "request")
            .put("data", new JsonObject().put("summary", "Request blocked: secret")),
        START.plusSeconds(30));
    turns.add(blocked);
  }

  private UUID turn(Call call, JsonObject system, JsonArray history, JsonArray answer) {
    JsonObject request =
        system.copy().put("model", call.model()).put("max_tokens", 4096).put("messages", history);
    UUID callId = recorded.insert(call);
    recorded.request(callId, request.copy(), call.at());
    recorded.response(callId, 1, anthropicAnswer(answer), call.at().plusSeconds(2));
    turns.add(callId);
    return callId;
  }

  private void recordOtherSession() {
    OffsetDateTime at = START.minusDays(2);
    UUID callId =
        recorded.insert(Call.of(OTHER, "alice", "gpt-4o", at).api("openai").text("hello"));
    recorded.request(
        callId,
        new JsonObject()
            .put("model", "gpt-4o")
            .put("messages", new JsonArray().add(message("user", "hello"))),
        at);
  }

  private static JsonObject toolUse(String id, String name, JsonObject input) {
    return new JsonObject()
        .put("type", "tool_use")
        .put("id", id)
        .put("name", name)
        .put("input", input);
  }

  private static JsonObject toolResult(String id, String content) {
    return new JsonObject()
        .put("type", "tool_result")
        .put("tool_use_id", id)
        .put("content", content);
  }

  @Test
  @DisplayName(
      "the sessions are listed newest first, a Claude Code session as one with its four turns (the judge's call is none), models, user, interventions and preview")
  void listsSessions() {
    JsonObject page = getJson("/api/history/sessions");

    assertThat(page.getLong("total")).isEqualTo(2);
    assertThat(page.getBoolean("has_more")).isFalse();
    assertThat(sessionIds(page)).containsExactly(CLAUDE, OTHER);
    JsonObject claude = page.getJsonArray("sessions").getJsonObject(0);
    assertThat(claude.getLong("turn_count")).isEqualTo(4);
    assertThat(claude.getLong("total_events")).isEqualTo(8);
    assertThat(claude.getLong("policy_interventions")).isEqualTo(2);
    assertThat(claude.getJsonArray("models_used"))
        .containsExactly("claude-opus-4", "claude-sonnet-4-5");
    assertThat(claude.getJsonArray("user_ids")).containsExactly(BOB);
    assertThat(claude.getString("preview_message"))
        .isEqualTo("Please fix the failing build in the gradle project");
    assertThat(claude.getString("first_timestamp")).isEqualTo("2026-05-01T12:00:00Z");
    assertThat(claude.getString("last_timestamp")).isEqualTo("2026-05-01T12:00:32Z");
  }

  @Test
  @DisplayName(
      "a session's detail is its turns in order, each with the messages it brought, tool calls and results, the block and its annotation")
  void sessionDetail() {
    JsonObject detail = getJson("/api/history/sessions/" + CLAUDE);

    assertThat(detail.getString("session_id")).isEqualTo(CLAUDE);
    assertThat(detail.getLong("total_policy_interventions")).isEqualTo(2);
    JsonArray sessionTurns = detail.getJsonArray("turns");
    assertThat(sessionTurns.stream().map(t -> ((JsonObject) t).getString("call_id")))
        .containsExactlyElementsOf(turns.stream().map(UUID::toString).toList());
    JsonObject first = sessionTurns.getJsonObject(0);
    assertThat(types(first, "request_messages")).containsExactly("system", "user", "user");
    assertThat(types(first, "response_messages")).containsExactly("assistant", "tool_call");
    JsonObject bash = first.getJsonArray("response_messages").getJsonObject(1);
    assertThat(bash.getString("tool_name")).isEqualTo("Bash");
    assertThat(bash.getString("tool_call_id")).isEqualTo("toolu_1");
    assertThat(bash.getJsonObject("tool_input").getString("command")).isEqualTo("./gradlew build");
    assertThat(first.getString("diff_url")).isEqualTo("/debug/calls/" + turns.get(0) + "/diff");
    assertThat(first.getString("trace_url"))
        .isEqualTo("http://grafana.test/t?call=" + turns.get(0));
    assertThat(first.getBoolean("had_policy_intervention")).isFalse();

    JsonObject second = sessionTurns.getJsonObject(1);
    assertThat(types(second, "request_messages")).containsExactly("tool_result");
    assertThat(second.getJsonArray("request_messages").getJsonObject(0).getString("tool_call_id"))
        .isEqualTo("toolu_1");
    assertThat(second.getBoolean("had_policy_intervention")).isTrue();
    JsonObject third = sessionTurns.getJsonObject(2);
    assertThat(types(third, "request_messages")).containsExactly("tool_result", "user");
    assertThat(third.getJsonArray("request_messages").getJsonObject(1).getString("content"))
        .isEqualTo("also rename the walrus helper");

    JsonObject blocked = sessionTurns.getJsonObject(3);
    assertThat(types(blocked, "request_messages")).containsExactly("user");
    assertThat(blocked.getJsonArray("response_messages")).isEmpty();
    assertThat(blocked.getJsonObject("blocked").getString("message")).isEqualTo("no secrets");
    assertThat(blocked.getBoolean("had_policy_intervention")).isTrue();
    JsonObject annotation = blocked.getJsonArray("annotations").getJsonObject(0);
    assertThat(annotation.getString("policy_name")).isEqualTo("secrets");
    assertThat(annotation.getString("event_type")).isEqualTo("policy.secrets.blocked");
    assertThat(annotation.getString("summary")).isEqualTo("Request blocked: secret");
  }

  @Test
  @DisplayName(
      "search finds the session by a word of its third turn, and each filter narrows the list")
  void searchAndFilters() {
    assertThat(sessionIds(getJson("/api/history/sessions?q=walrus"))).containsExactly(CLAUDE);
    assertThat(sessionIds(getJson("/api/history/sessions?q=" + encode("renaming walruses"))))
        .containsExactly(CLAUDE);
    assertThat(sessionIds(getJson("/api/history/sessions?q=penguin"))).isEmpty();
    assertThat(sessionIds(getJson("/api/history/sessions?user_id=alice"))).containsExactly(OTHER);
    assertThat(sessionIds(getJson("/api/history/sessions?model=claude-opus-4")))
        .containsExactly(CLAUDE);
    assertThat(sessionIds(getJson("/api/history/sessions?policy_intervention=true")))
        .containsExactly(CLAUDE);
    assertThat(sessionIds(getJson("/api/history/sessions?from=2026-05-01T00:00:00Z")))
        .containsExactly(CLAUDE);
    assertThat(sessionIds(getJson("/api/history/sessions?to=2026-04-30"))).containsExactly(OTHER);
    assertThat(sessionIds(getJson("/api/history/sessions?q=walrus&user_id=alice"))).isEmpty();
    JsonObject first = getJson("/api/history/sessions?limit=1");
    assertThat(sessionIds(first)).containsExactly(CLAUDE);
    assertThat(first.getBoolean("has_more")).isTrue();
    JsonObject second = getJson("/api/history/sessions?limit=1&offset=1");
    assertThat(sessionIds(second)).containsExactly(OTHER);
    assertThat(second.getBoolean("has_more")).isFalse();
    JsonObject beyond = getJson("/api/history/sessions?offset=5");
    assertThat(beyond.getLong("total")).isEqualTo(2);
    assertThat(beyond.getJsonArray("sessions")).isEmpty();
  }

  @ParameterizedTest(name = "{0} is a 400 naming {1}")
  @CsvSource({
    "/api/history/sessions?limit=0, limit",
    "/api/history/sessions?limit=abc, limit",
    "/api/history/sessions?offset=-1, offset",
    "/api/history/sessions?from=yesterday, from",
    "/api/history/sessions?to=2026-13-01, to",
    "/api/history/sessions?policy_intervention=maybe, policy_intervention",
    "/api/history/sessions?user_id=%01, user_id",
    "/api/history/sessions/bad%0Aid, session_id",
    "/api/history/sessions/%7F/export, session_id",
    "/api/history/users?limit=99999, limit"
  })
  void malformedParameters(String uri, String parameter) {
    HttpResponse<Buffer> response = get(uri);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("detail")).startsWith(parameter + " ");
  }

  @Test
  @DisplayName("an unknown session is a 404, and the API needs the admin key")
  void unknownSessionAndKey() {
    assertThat(get("/api/history/sessions/no-such-session").statusCode()).isEqualTo(404);
    assertThat(get("/api/history/sessions/no-such-session/export/jsonl").statusCode())
        .isEqualTo(404);
    assertThat(await(client.get("/api/history/sessions").send()).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName(
      "the JSONL export is one line per turn that reads back as the detail's turns; the Markdown export shows every turn")
  void exportsRoundTrip() {
    JsonObject detail = getJson("/api/history/sessions/" + CLAUDE);
    HttpResponse<Buffer> jsonl = get("/api/history/sessions/" + CLAUDE + "/export/jsonl");
    HttpResponse<Buffer> markdown = get("/api/history/sessions/" + CLAUDE + "/export");

    assertThat(jsonl.statusCode()).isEqualTo(200);
    assertThat(jsonl.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(jsonl.getHeader("Content-Disposition")).contains("conversation_cc-7f3e2a10");
    String[] lines = jsonl.bodyAsString().split("\n", -1);
    assertThat(lines).hasSize(5);
    assertThat(lines[4]).isEmpty();
    for (int i = 0; i < 4; i++) {
      JsonObject line = new JsonObject(lines[i]);
      assertThat(line.remove("session_id")).isEqualTo(CLAUDE);
      assertThat(line).isEqualTo(detail.getJsonArray("turns").getJsonObject(i));
    }
    assertThat(markdown.getHeader("Content-Type")).startsWith("text/markdown");
    assertThat(markdown.bodyAsString())
        .startsWith("# Conversation History: " + CLAUDE)
        .contains("## Turn 4", "also rename the walrus helper", "**Tool:** `Bash`")
        .contains("- **secrets**: Request blocked: secret");
  }

  @Test
  @DisplayName(
      "users are listed with their call and session counts and label; a label is set, read and deleted")
  void usersAndLabels() {
    HttpResponse<Buffer> blank = put(BOB, new JsonObject().put("display_name", "  "));
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.bodyAsJsonObject().getString("detail")).startsWith("display_name ");
    HttpResponse<Buffer> set = put(BOB, new JsonObject().put("label", " Bob (laptop) "));
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getString("display_name")).isEqualTo("Bob (laptop)");

    assertThat(getJson("/api/history/user-labels").getJsonObject("labels"))
        .isEqualTo(new JsonObject().put(BOB, "Bob (laptop)"));
    JsonObject users = getJson("/api/history/users");
    assertThat(users.getJsonArray("users")).containsExactly(BOB, "alice");
    assertThat(users.getJsonObject("labels")).isEqualTo(new JsonObject().put(BOB, "Bob (laptop)"));
    JsonObject bob = users.getJsonArray("details").getJsonObject(0);
    assertThat(bob.getLong("call_count")).isEqualTo(4);
    assertThat(bob.getLong("session_count")).isEqualTo(1);
    assertThat(bob.getString("last_seen")).isEqualTo("2026-05-01T12:00:30Z");

    HttpResponse<Buffer> deleted =
        await(
            client
                .delete("/api/history/user-labels/" + BOB)
                .bearerTokenAuthentication(ADMIN_KEY)
                .send());
    assertThat(deleted.bodyAsJsonObject().getBoolean("deleted")).isTrue();
    assertThat(getJson("/api/history/user-labels").getJsonObject("labels")).isEmpty();
  }

  private HttpResponse<Buffer> put(String userId, JsonObject body) {
    return await(
        client
            .put("/api/history/user-labels/" + encode(userId))
            .bearerTokenAuthentication(ADMIN_KEY)
            .sendJsonObject(body));
  }

  private JsonObject getJson(String uri) {
    HttpResponse<Buffer> response = get(uri);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> get(String uri) {
    return await(client.get(uri).bearerTokenAuthentication(ADMIN_KEY).send());
  }

  private static List<String> sessionIds(JsonObject page) {
    return page.getJsonArray("sessions").stream()
        .map(session -> ((JsonObject) session).getString("session_id"))
        .toList();
  }

  private static List<String> types(JsonObject turn, String side) {
    return turn.getJsonArray(side).stream()
        .map(message -> ((JsonObject) message).getString("message_type"))
        .toList();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
