package io.luthien.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two pages in headless Chromium against a real {@link DebugVerticle} on the real test PostgreSQL: one
 * recorded call whose policy upper-cased everything, and live events published on the bus the feed listens to.
 */
@ExtendWith(VertxExtension.class)
class DebugPagesBrowserTest {

  private static final String KEY = "admin-key-for-pages";
  private static final String USER_TEXT =
      "please repeat <script>alert(1)</script> and <img src=x onerror=\"window.__luthienPwned=true\"> back";
  private static final String ASSISTANT_TEXT = "sure: <b>bold</b> words";
  /** Unique per run, so the calls list can be narrowed to this run's call in a database other tests share. */
  private static final String MODEL = "pages-" + UUID.randomUUID().toString().substring(0, 8);

  private static Vertx vertx;
  private static HeadlessChromium browser;
  private static String base;
  private static String callId;

  @BeforeAll
  static void start(Vertx sharedVertx) {
    vertx = sharedVertx;
    callId = recordUpperCasedCall().toString();
    DebugVerticle debug = new DebugVerticle();
    await(vertx.deployVerticle(debug, new DeploymentOptions().setConfig(new JsonObject()
        .put("HOST", "127.0.0.1")
        .put("DEBUG_PORT", "0")
        .put("ADMIN_API_KEY", KEY)
        .put("DATABASE_URL", RecordedCalls.DATABASE_URL)
        .put("DEBUG_TRACE_URL_TEMPLATE", "http://grafana.test/explore?call={call_id}"))));
    base = "http://127.0.0.1:" + debug.actualPort();
    browser = HeadlessChromium.launch(vertx);
  }

  /** The request and the response as they arrived, and the policy's upper-cased versions of both. */
  private static UUID recordUpperCasedCall() {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    JsonObject request = new JsonObject().put("model", MODEL).put("max_tokens", 64).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are terse."))
        .add(new JsonObject().put("role", "user").put("content", USER_TEXT)));
    JsonObject response = RecordedCalls.completion(MODEL, ASSISTANT_TEXT);
    try (RecordedCalls calls = RecordedCalls.open(vertx)) {
      calls.insertCall(id, MODEL, 200, now);
      calls.insertEvent(id, "request", 0, new JsonObject().put("original", request).put("final", upperCased(request)), now);
      calls.insertEvent(id, "response", 1, new JsonObject().put("original", response)
          .put("final", upperCased(response)).put("status", 200), now.plusNanos(5_000_000));
    }
    return id;
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterEach
  void noPageProblems() {
    try {
      assertThat(browser.problems()).as("JavaScript errors, console errors or dialogs in the page").isEmpty();
    } finally {
      browser.forgetProblems();
    }
  }

  @Test
  @DisplayName("a deep link opens the recorded call: changed badges, original and final side by side, the trace link, payload markup as text")
  void deepLinkShowsDiff() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));

    assertThat(browser.navigate(base + "/debug/diff?call_id=" + callId)).isEqualTo(200);
    browser.waitFor("document.querySelector('#diff-view').dataset.callId === " + Json.encode(callId)
        + " && !document.querySelector('#diff-view').hidden");

    assertThat(browser.text("document.querySelector('#request-badge').dataset.state")).isEqualTo("changed");
    assertThat(browser.text("document.querySelector('#response-badge').dataset.state")).isEqualTo("changed");
    String userRow = "document.querySelector('#messages .diff-row[data-index=\"1\"]')";
    assertThat(browser.text(userRow + ".dataset.status")).isEqualTo("changed");
    assertThat(browser.text(userRow + ".querySelector('.cell.original').innerText")).contains(USER_TEXT);
    assertThat(browser.text(userRow + ".querySelector('.cell.final').innerText")).contains(USER_TEXT.toUpperCase(Locale.ROOT));
    assertThat(browser.text("document.querySelector('#choices .diff-row .cell.original [data-part=content]').innerText"))
        .contains(ASSISTANT_TEXT);
    assertThat(browser.text("document.querySelector('#choices .diff-row .cell.final [data-part=content]').innerText"))
        .contains(ASSISTANT_TEXT.toUpperCase(Locale.ROOT));
    assertThat(browser.text("document.querySelector('#trace-link').href"))
        .isEqualTo("http://grafana.test/explore?call=" + callId);
    assertThat(browser.text("document.querySelector('#trace-link').target")).isEqualTo("_blank");
    assertThat(browser.text("document.querySelector('#parameters-table tr[data-param=max_tokens]').dataset.status"))
        .isEqualTo("unchanged");
    assertThat(browser.evaluate("document.querySelectorAll('#patch-request .patch-op[data-op=replace]').length"))
        .isEqualTo(2);
    assertThat(browser.text("document.querySelector('#raw-request [data-raw=original]').textContent"))
        .contains("<script>alert(1)</script>");

    assertThat(browser.evaluate("typeof window.__luthienPwned")).isEqualTo("undefined");
    assertThat(browser.evaluate("document.querySelectorAll('main img, main b, main script').length")).isEqualTo(0);
    assertThat(browser.evaluate("document.scripts.length")).isEqualTo(2);
  }

  @Test
  @DisplayName("the calls list, filtered by model and status, shows the call; clicking it loads its diff and puts its id in the address")
  void callsListOpensDiff() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");
    String item = "document.querySelector('.call-item[data-call-id=\"" + callId + "\"]')";

    setValue("#filter-model", MODEL);
    setValue("#filter-status", "500");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor("document.querySelector('#calls-summary').innerText.includes('No recorded calls match')");
    setValue("#filter-status", "200");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor(item + " !== null");
    assertThat(browser.evaluate("document.querySelectorAll('.call-item').length")).isEqualTo(1);
    assertThat(browser.evaluate("document.querySelector('#diff-view').hidden")).isEqualTo(true);

    browser.evaluate(item + ".click()");

    browser.waitFor("document.querySelector('#diff-view').dataset.callId === " + Json.encode(callId));
    assertThat(browser.text("new URLSearchParams(location.search).get('call_id')")).isEqualTo(callId);
    assertThat(browser.text("new URLSearchParams(location.search).get('model')")).isEqualTo(MODEL);
    assertThat(browser.evaluate(item + ".classList.contains('selected')")).isEqualTo(true);
    assertThat(browser.text("document.querySelector('#meta-fields').innerText")).contains(MODEL);
  }

  @Test
  @DisplayName("an unknown call id says the call is not found, and a malformed one shows the server's message")
  void unknownCallIds() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");

    openTyped(UUID.randomUUID().toString());
    browser.waitFor("document.querySelector('#message').dataset.reason === 'not-found'");
    assertThat(browser.text("document.querySelector('#message').innerText")).containsIgnoringCase("call not found");

    openTyped("not-a-uuid");
    browser.waitFor("document.querySelector('#message').dataset.reason === 'bad-request'");
    assertThat(browser.text("document.querySelector('#message').innerText")).contains("call_id must be a UUID");
  }

  @Test
  @DisplayName("the monitor goes live and shows a published event; filters hide and show it, a click expands its JSON, pause holds events")
  void monitorShowsLiveEvents() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/activity/monitor");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");

    String liveCall = UUID.randomUUID().toString();
    vertx.eventBus().publish(Addresses.ACTIVITY_FEED, activity(liveCall, "policy.content_flagged", "<b>flagged</b> text"));

    String row = "document.querySelector('.event-row[data-call-id=\"" + liveCall + "\"]')";
    browser.waitFor(row + " !== null");
    assertThat(browser.text(row + ".innerText")).contains(liveCall).contains("policy.content_flagged")
        .contains("gpt-4o-mini").contains("<b>flagged</b> text");
    assertThat(browser.text(row + ".querySelector('a.call-link').getAttribute('href')"))
        .isEqualTo("/debug/diff?call_id=" + liveCall);

    setValue("#filter-call-id", "ffffffff");
    assertThat(browser.evaluate(row + ".hidden")).isEqualTo(true);
    setValue("#filter-call-id", liveCall.substring(0, 8));
    assertThat(browser.evaluate(row + ".hidden")).isEqualTo(false);
    setValue("#filter-event-type", "request.received");
    assertThat(browser.evaluate(row + ".hidden")).isEqualTo(true);
    setValue("#filter-event-type", "policy.*");
    setValue("#filter-model", "GPT-4O");
    assertThat(browser.evaluate(row + ".hidden")).isEqualTo(false);

    browser.evaluate(row + ".querySelector('.event-line').click()");
    JsonObject shown = new JsonObject(browser.text(row + ".querySelector('.event-json').innerText"));
    assertThat(shown.getString("call_id")).isEqualTo(liveCall);
    assertThat(shown.getJsonObject("data").getString("preview")).isEqualTo("<b>flagged</b> text");
    assertThat(browser.evaluate("document.querySelectorAll('#events b').length")).isEqualTo(0);

    browser.evaluate("document.querySelector('#pause-button').click()");
    vertx.eventBus().publish(Addresses.ACTIVITY_FEED, activity(liveCall, "policy.second_look", "later"));
    browser.waitFor("document.querySelector('#pause-note').dataset.held === '1'");
    assertThat(browser.evaluate("document.querySelectorAll('.event-row').length")).isEqualTo(1);
    browser.evaluate("document.querySelector('#pause-button').click()");
    assertThat(browser.evaluate("document.querySelectorAll('.event-row').length")).isEqualTo(2);
  }

  @Test
  @DisplayName("without the admin key a page answers 401, and a page whose key turns wrong says it is not authorised")
  void notAuthorised() {
    browser.useHeaders(Map.of());
    assertThat(browser.navigate(base + "/debug/diff")).isEqualTo(401);
    assertThat(browser.navigate(base + "/activity/monitor")).isEqualTo(401);
    assertThat(browser.evaluate("document.querySelector('#connection-status') === null")).isEqualTo(true);

    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");
    browser.waitFor("document.querySelector('.call-item') !== null");
    browser.useHeaders(Map.of("Authorization", "Bearer wrong-key"));
    browser.evaluate("document.querySelector('#refresh-calls').click()");
    browser.waitFor("!document.querySelector('#calls-message').hidden");
    assertThat(browser.text("document.querySelector('#calls-message').innerText")).contains("Not authorised");

    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/activity/monitor");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");
    browser.useHeaders(Map.of("x-api-key", "revoked-key"));
    browser.evaluate("document.querySelector('#reconnect-button').click()");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'unauthorised'");
    assertThat(browser.text("document.querySelector('#message').innerText")).contains("Not authorised");
  }

  private void openTyped(String id) {
    setValue("#call-id-input", id);
    browser.evaluate("document.querySelector('#call-id-open').click()");
  }

  private void setValue(String selector, String value) {
    browser.evaluate("(() => { const input = document.querySelector(" + Json.encode(selector) + "); input.value = "
        + Json.encode(value) + "; input.dispatchEvent(new Event('input', {bubbles: true}));"
        + " input.dispatchEvent(new Event('change', {bubbles: true})); })()");
  }

  private static JsonObject activity(String call, String type, String preview) {
    return new JsonObject().put("call_id", call).put("event_type", type).put("timestamp", Instant.now().toString())
        .put("data", new JsonObject().put("model", "gpt-4o-mini").put("preview", preview));
  }

  /** A deep copy with every "content" string upper-cased, as the upper-casing policy would leave it. */
  private static JsonObject upperCased(JsonObject json) {
    return (JsonObject) upperCasedValue(json.copy());
  }

  private static Object upperCasedValue(Object value) {
    if (value instanceof JsonObject object) {
      for (String name : object.fieldNames()) {
        Object field = object.getValue(name);
        object.put(name, "content".equals(name) && field instanceof String text ? text.toUpperCase(Locale.ROOT) : upperCasedValue(field));
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, upperCasedValue(array.getValue(i)));
      }
    }
    return value;
  }

  private static <T> T await(Future<T> future) {
    return RecordedCalls.await(future);
  }
}
