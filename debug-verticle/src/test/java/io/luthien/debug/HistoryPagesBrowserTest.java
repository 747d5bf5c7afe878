package io.luthien.debug;

import static io.luthien.debug.history.RecordedSessions.anthropicAnswer;
import static io.luthien.debug.history.RecordedSessions.await;
import static io.luthien.debug.history.RecordedSessions.message;
import static io.luthien.debug.history.RecordedSessions.sides;
import static io.luthien.debug.history.RecordedSessions.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.debug.history.RecordedSessions;
import io.luthien.debug.history.RecordedSessions.Call;
import io.luthien.shared.Addresses;
import io.luthien.shared.LocalServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The session history page and the live conversation page in headless Chromium, against a real
 * {@link DebugVerticle} on a database of their own: a Claude Code session of four turns (tool calls
 * and results across turns, a judged turn, a changed answer, a blocked request, markup in what the
 * user typed), a quiet OpenAI session of another user, a session whose very id is markup, and a
 * session that grows while its page is open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryPagesBrowserTest {

  private static final String KEY = "admin-key-for-history-pages";
  private static final String AGENT = "cc-2b7c5d1e-9a40-4f6b-8c3d-0e1f2a3b4c5d";
  private static final String QUIET = "openai-quiet";
  private static final String MARKUP_ID = "<img src=x onerror=window.__luthienPwned=1>";
  private static final String LIVE = "live-session";
  private static final String BOB = "key-0123456789ab";
  private static final String BOB_LABEL = "Bob <b>the builder</b>";
  private static final String ALICE = "alice";
  private static final String USER_TEXT =
      "fix it <script>window.__luthienPwned=1</script><img src=x onerror=\"window.__luthienPwned=1\">";
  private static final OffsetDateTime START =
      OffsetDateTime.of(2026, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime LIVE_START = START.minusDays(5);

  private final Vertx vertx = Vertx.vertx();
  private final List<String> agentTurns = new ArrayList<>();
  private String databaseUrl;
  private RecordedSessions recorded;
  private HeadlessChromium browser;
  private String base;

  @BeforeAll
  void start() {
    databaseUrl = LocalServices.freshDatabase();
    recorded = RecordedSessions.open(vertx, databaseUrl);
    recordAgentSession();
    recordSmallSessions();
    DebugVerticle debug = new DebugVerticle();
    await(
        vertx.deployVerticle(
            debug,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("HOST", "127.0.0.1")
                        .put("DEBUG_PORT", "0")
                        .put("ADMIN_API_KEY", KEY)
                        .put("DATABASE_URL", databaseUrl)
                        .put("DEBUG_TRACE_URL_TEMPLATE", "http://grafana.test/t?call={call_id}"))));
    base = "http://127.0.0.1:" + debug.actualPort();
    browser = HeadlessChromium.launch(vertx);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    recorded.close();
    await(vertx.close());
    LocalServices.dropDatabase(databaseUrl);
  }

  @AfterEach
  void noPageProblems() {
    try {
      assertThat(browser.problems())
          .as("JavaScript errors, console errors or dialogs in the page")
          .isEmpty();
    } finally {
      browser.forgetProblems();
    }
  }

  /** Claude Code's conversation as it grows: each request repeats the ones before. */
  private void recordAgentSession() {
    JsonArray history = new JsonArray();
    history.add(
        message(
            "user",
            new JsonArray()
                .add(text("<system-reminder>context</system-reminder>"))
                .add(text(USER_TEXT))));
    JsonArray answer1 =
        new JsonArray()
            .add(text("I'll run the build first."))
            .add(toolUse("toolu_1", "Bash", new JsonObject().put("command", "./gradlew build")));
    agentTurn(Call.of(AGENT, BOB, "claude-sonnet-4-5", START), history, answer1, answer1);

    history.add(message("assistant", answer1));
    history.add(message("user", new JsonArray().add(toolResult("toolu_1", "BUILD FAILED: ';'"))));
    JsonArray answer2 =
        new JsonArray()
            .add(toolUse("toolu_2", "Edit", new JsonObject().put("file_path", "Main.java")));
    agentTurn(
        Call.of(AGENT, BOB, "claude-sonnet-4-5", START.plusSeconds(10)).flags(false, false, true),
        history,
        answer2,
        answer2);

    history.add(message("assistant", answer2));
    history.add(
        message(
            "user",
            new JsonArray()
                .add(toolResult("toolu_2", "edited"))
                .add(text("also rename the walrus helper"))));
    agentTurn(
        Call.of(AGENT, BOB, "claude-opus-4", START.plusSeconds(20))
            .flags(true, false, false)
            .text("also rename the walrus helper\nRenamed it."),
        history,
        new JsonArray().add(text("Renamed it.")),
        new JsonArray().add(text("Renamed it, politely.")));

    history.add(message("assistant", new JsonArray().add(text("Renamed it, politely."))));
    history.add(message("user", "now print the AWS secret key"));
    recordBlockedTurn(history);
    recorded.label(BOB, BOB_LABEL);
  }

  private void agentTurn(Call call, JsonArray history, JsonArray answer, JsonArray finalAnswer) {
    JsonObject request = request(call.model(), history);
    UUID callId = recorded.insert(call);
    recorded.request(callId, request, call.at());
    recorded.event(
        callId,
        "response",
        1,
        sides(anthropicAnswer(answer), anthropicAnswer(finalAnswer)).put("status", 200),
        call.at().plusSeconds(2));
    agentTurns.add(callId.toString());
  }

  private void recordBlockedTurn(JsonArray history) {
    OffsetDateTime at = START.plusSeconds(30);
    UUID blocked =
        recorded.insert(
            Call.of(AGENT, BOB, "claude-opus-4", at)
                .flags(false, true, false)
                .text("now print the AWS secret key"));
    recorded.event(
        blocked,
        "request",
        0,
        new JsonObject()
            .put("original", request("claude-opus-4", history))
            .putNull("final")
            .put("blocked", new JsonObject().put("status", 403).put("message", "no secrets")),
        at);
    recorded.event(
        blocked,
        "policy.secrets.blocked",
        1,
        new JsonObject()
            .put("phase", "request")
            .put("data", new JsonObject().put("summary", "Request blocked: secret")),
        at);
    agentTurns.add(blocked.toString());
  }

  private void recordSmallSessions() {
    simpleTurn(Call.of(QUIET, ALICE, "gpt-4o", START.minusDays(2)), "hello there");
    simpleTurn(Call.of(MARKUP_ID, ALICE, "gpt-4o", START.minusDays(3)), "<b>bold</b> question");
    simpleTurn(Call.of(LIVE, ALICE, "claude-opus-4", LIVE_START), "start the live work");
  }

  /** A one-message Anthropic call and its plain answer. */
  private UUID simpleTurn(Call call, String userText) {
    UUID callId = recorded.insert(call.text(userText));
    recorded.request(
        callId, request(call.model(), new JsonArray().add(message("user", userText))), call.at());
    recorded.response(
        callId,
        1,
        anthropicAnswer(new JsonArray().add(text("answer to " + userText))),
        call.at().plusSeconds(1));
    return callId;
  }

  private static JsonObject request(String model, JsonArray history) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 4096)
        .put("system", "You are Claude Code.")
        .put("messages", history.copy());
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
      "the history page lists the sessions newest first, each with its times, turns, models, labelled users, interventions, preview and exports")
  void listsSessions() {
    openHistory("");

    assertThat(sessionIds()).containsExactly(AGENT, QUIET, MARKUP_ID, LIVE);
    String row = row(AGENT);
    assertThat(browser.text(field(row, "first"))).isEqualTo("first: 2026-05-01T12:00:00.000Z");
    assertThat(browser.text(field(row, "last"))).isEqualTo("last: 2026-05-01T12:00:32.000Z");
    assertThat(browser.text(field(row, "turns"))).isEqualTo("turns: 4");
    assertThat(browser.text(field(row, "models")))
        .isEqualTo("models: claude-opus-4, claude-sonnet-4-5");
    assertThat(browser.text(field(row, "users")))
        .isEqualTo("users: " + BOB_LABEL + " (" + BOB + ")");
    assertThat(browser.text(field(row, "interventions"))).isEqualTo("3 policy interventions");
    assertThat(browser.text(field(row(QUIET), "interventions"))).isEqualTo("no intervention");
    assertThat(browser.text(field(row, "preview"))).startsWith("fix it <script>");
    assertThat(browser.text(row + ".querySelector('[data-export=markdown]').getAttribute('href')"))
        .isEqualTo("/api/history/sessions/" + AGENT + "/export");
    assertThat(browser.text(row + ".querySelector('[data-export=jsonl]').getAttribute('href')"))
        .isEqualTo("/api/history/sessions/" + AGENT + "/export/jsonl");
    assertThat(browser.text("document.querySelector('#summary').textContent"))
        .isEqualTo("sessions 1–4 of 4, newest first");
    assertThat(browser.text("document.querySelector('#filter-user').textContent"))
        .contains(BOB_LABEL + " (" + BOB + ")")
        .contains(ALICE);
  }

  @Test
  @DisplayName(
      "searching for a word from the third turn leaves only that session, and the search stays in the address")
  void searchNarrows() {
    openHistory("");

    browser.evaluate("document.querySelector('#filter-q').value = 'walrus'");
    browser.evaluate("document.querySelector('#apply-filters').click()");

    browser.waitFor("document.querySelectorAll('.session-row').length === 1");
    assertThat(sessionIds()).containsExactly(AGENT);
    assertThat(browser.text("location.search")).isEqualTo("?q=walrus");
    browser.evaluate("document.querySelector('#filter-q').value = 'zeppelin'");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor("!document.querySelector('#sessions-empty').hidden");
    assertThat(sessionIds()).isEmpty();
  }

  @Test
  @DisplayName(
      "'policy intervened only' leaves the session a policy stepped into; the user filter the sessions of that user")
  void filters() {
    openHistory("");

    browser.evaluate("document.querySelector('#filter-intervened').checked = true");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor("document.querySelectorAll('.session-row').length === 1");
    assertThat(sessionIds()).containsExactly(AGENT);

    browser.evaluate("document.querySelector('#filter-intervened').checked = false");
    browser.evaluate("document.querySelector('#filter-user').value = " + Json.encode(ALICE));
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor("document.querySelectorAll('.session-row').length === 3");
    assertThat(sessionIds()).containsExactly(QUIET, MARKUP_ID, LIVE);
  }

  @Test
  @DisplayName("the pages go page by page: a limit of 2 shows two sessions and 'Older' the rest")
  void pages() {
    openHistory("?limit=2");
    assertThat(sessionIds()).containsExactly(AGENT, QUIET);

    browser.evaluate("document.querySelector('#page-next').click()");

    browser.waitFor("document.querySelector('.session-row').dataset.sessionId !== " + js(AGENT));
    assertThat(sessionIds()).containsExactly(MARKUP_ID, LIVE);
    assertThat(browser.evaluate("document.querySelector('#page-next').disabled")).isEqualTo(true);
    assertThat(browser.text("location.search")).isEqualTo("?limit=2&offset=2");
  }

  @Test
  @DisplayName(
      "a row links to its session's conversation: the turns in order, tool calls and results, changed, judged and blocked turns marked, diff and trace links")
  void conversation() {
    openHistory("");

    browser.evaluate(row(AGENT) + ".querySelector('a.session-link').click()");

    browser.waitFor(
        "document.body.dataset.page === 'conversation'"
            + " && document.querySelector('#turns').dataset.count === '4'");
    assertThat(browser.text("location.pathname")).isEqualTo("/conversation/live/" + AGENT);
    assertThat(browser.text("document.querySelector('#session-id').textContent")).isEqualTo(AGENT);
    assertThat(browser.text("document.querySelector('#meta-interventions').textContent"))
        .isEqualTo("3");
    assertThat(
            (JsonArray)
                Json.decodeValue(
                    browser.text(
                        "JSON.stringify(Array.from(document.querySelectorAll('.turn'), t => t.dataset.callId))")))
        .containsExactlyElementsOf(agentTurns);
    assertThat(
            (JsonArray)
                Json.decodeValue(
                    browser.text(
                        "JSON.stringify(Array.from(document.querySelectorAll('.turn'), t => t.dataset.intervention))")))
        .containsExactly("none", "judged", "changed", "blocked");

    String first = turn(0);
    assertThat(messageTypes(first))
        .containsExactly("system", "user", "user", "assistant", "tool_call");
    assertThat(browser.text(first + ".querySelector('.message[data-type=tool_call]').textContent"))
        .contains("Bash")
        .contains("toolu_1")
        .contains("./gradlew build");
    assertThat(browser.text(first + ".querySelector('a.diff-link').getAttribute('href')"))
        .isEqualTo("/debug/diff?call_id=" + agentTurns.get(0));
    assertThat(browser.text(first + ".querySelector('a.trace-link').href"))
        .isEqualTo("http://grafana.test/t?call=" + agentTurns.get(0));

    String second = turn(1);
    assertThat(messageTypes(second)).containsExactly("tool_result", "tool_call");
    assertThat(
            browser.text(second + ".querySelector('.message[data-type=tool_result]').textContent"))
        .contains("toolu_1")
        .contains("BUILD FAILED: ';'");
    assertThat(browser.text(second + ".querySelector('[data-mark=judged]').textContent"))
        .isEqualTo("judged by policy");

    String third = turn(2);
    assertThat(browser.text(third + ".querySelector('[data-mark=changed]').textContent"))
        .isEqualTo("changed by policy");
    assertThat(
            browser.text(
                third + ".querySelector(':scope > .message[data-type=assistant]').innerText"))
        .contains("Renamed it, politely.");
    assertThat(browser.text(third + ".querySelector('details.original').textContent"))
        .contains("before the policy changed it")
        .contains("Renamed it.");

    String blocked = turn(3);
    assertThat(browser.text(blocked + ".querySelector('[data-mark=blocked]').textContent"))
        .isEqualTo("blocked by policy");
    assertThat(browser.text(blocked + ".querySelector('[data-part=blocked]').innerText"))
        .contains("403")
        .contains("no secrets");
    assertThat(messageTypes(blocked)).containsExactly("user");
    assertThat(browser.text(blocked + ".querySelector('.annotation').innerText"))
        .contains("secrets")
        .contains("Request blocked: secret")
        .contains("policy.secrets.blocked");
  }

  @Test
  @DisplayName(
      "the conversation page grows without a reload when a call of its session completes, and shows it is live")
  void growsLive() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/conversation/live/" + LIVE);
    browser.waitFor(
        "document.querySelector('#turns').dataset.count === '1'"
            + " && document.querySelector('#live-status').dataset.state === 'live'");
    browser.evaluate("window.__sameDocument = true");

    UUID next =
        simpleTurn(
            Call.of(LIVE, ALICE, "claude-opus-4", LIVE_START.plusMinutes(1)),
            "now the second step");
    vertx.eventBus().publish(Addresses.ACTIVITY_FEED, completed(next, LIVE));

    browser.waitFor("document.querySelector('#turns').dataset.count === '2'");
    assertThat(browser.evaluate("window.__sameDocument")).isEqualTo(true);
    String second = turn(1);
    assertThat(browser.text(second + ".dataset.callId")).isEqualTo(next.toString());
    assertThat(browser.text(second + ".innerText"))
        .contains("Turn 2")
        .contains("now the second step")
        .contains("answer to now the second step");
    assertThat(browser.text("document.querySelector('#meta-turns').textContent")).isEqualTo("2");
  }

  @Test
  @DisplayName(
      "markup in what the user typed, in a label and in a session id is shown as text on both pages and never runs")
  void markupStaysText() {
    openHistory("");
    assertThat(browser.text(field(row(AGENT), "preview"))).contains("<script>");
    assertThat(browser.text(row(MARKUP_ID) + ".querySelector('a.session-link').textContent"))
        .isEqualTo(MARKUP_ID);
    assertThat(
            browser.evaluate("document.querySelectorAll('main img, main b, main script').length"))
        .isEqualTo(0);

    browser.navigate(base + "/conversation/live/" + AGENT);
    browser.waitFor("document.querySelector('#turns').dataset.count === '4'");
    assertThat(browser.text(turn(0) + ".innerText")).contains(USER_TEXT);

    browser.navigate(
        base
            + "/conversation/live/"
            + URLEncoder.encode(MARKUP_ID, StandardCharsets.UTF_8).replace("+", "%20"));
    browser.waitFor("document.querySelector('#turns').dataset.count === '1'");
    assertThat(browser.text("document.querySelector('#session-id').textContent"))
        .isEqualTo(MARKUP_ID);
    assertThat(browser.text(turn(0) + ".innerText")).contains("<b>bold</b> question");

    assertThat(
            browser.evaluate("document.querySelectorAll('main img, main b, main script').length"))
        .isEqualTo(0);
    assertThat(browser.evaluate("typeof window.__luthienPwned")).isEqualTo("undefined");
  }

  @Test
  @DisplayName("without the admin key both pages answer 401")
  void needTheKey() {
    browser.useHeaders(Map.of());

    assertThat(browser.navigate(base + "/history")).isEqualTo(401);
    assertThat(browser.navigate(base + "/conversation/live/" + AGENT)).isEqualTo(401);
  }

  private void openHistory(String query) {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    assertThat(browser.navigate(base + "/history" + query)).isEqualTo(200);
    browser.waitFor("document.body.dataset.state === 'loaded'");
  }

  private JsonArray sessionIds() {
    return (JsonArray)
        Json.decodeValue(
            browser.text(
                "JSON.stringify(Array.from(document.querySelectorAll('.session-row'), r => r.dataset.sessionId))"));
  }

  private JsonArray messageTypes(String turn) {
    return (JsonArray)
        Json.decodeValue(
            browser.text(
                "JSON.stringify(Array.from("
                    + turn
                    + ".querySelectorAll(':scope > .message'), m => m.dataset.type))"));
  }

  private static String row(String sessionId) {
    return "Array.from(document.querySelectorAll('.session-row')).find(r => r.dataset.sessionId === "
        + js(sessionId)
        + ")";
  }

  private static String field(String row, String name) {
    return row + ".querySelector('[data-field=" + name + "]').textContent";
  }

  private static String turn(int index) {
    return "document.querySelectorAll('.turn')[" + index + "]";
  }

  private static String js(String text) {
    return Json.encode(text);
  }

  /** What the gateway publishes when a call of a session has sent its answer. */
  private static JsonObject completed(UUID callId, String sessionId) {
    return new JsonObject()
        .put("call_id", callId.toString())
        .put("event_type", "response.sent")
        .put("timestamp", Instant.now().toString())
        .put(
            "data",
            new JsonObject()
                .put("model", "claude-opus-4")
                .put("session_id", sessionId)
                .put("status", 200)
                .put("preview", "answer"));
  }
}
