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
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
 * The pages in headless Chromium against a real {@link DebugVerticle} on the real test PostgreSQL:
 * one recorded call whose policy upper-cased everything, and live events published on the bus the
 * feed listens to. A second, bare node has neither an admin key nor a trace backend. The browser
 * runs in a German locale and New Zealand's time zone, so a page that formats dates the browser's
 * way shows it.
 */
@ExtendWith(VertxExtension.class)
class DebugPagesBrowserTest {

  private static final String KEY = "admin-key-for-pages";
  private static final String USER_TEXT =
      "please repeat <script>alert(1)</script> and <img src=x onerror=\"window.__luthienPwned=true\"> back";
  private static final String ASSISTANT_TEXT = "sure: <b>bold</b> words";

  /**
   * Unique per run, so the calls list can be narrowed to this run's call in a database other tests
   * share.
   */
  private static final String MODEL = "pages-" + UUID.randomUUID().toString().substring(0, 8);

  private static Vertx vertx;
  private static HeadlessChromium browser;

  /**
   * Whole milliseconds, so the expected ISO text does not depend on how PostgreSQL rounds
   * microseconds.
   */
  private static OffsetDateTime recordedAt;

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

  private static String base;
  private static String bareBase;
  private static String callId;

  @BeforeAll
  static void start(Vertx sharedVertx) {
    recordedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    vertx = sharedVertx;
    callId = recordUpperCasedCall().toString();
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
                        .put("DATABASE_URL", RecordedCalls.DATABASE_URL)
                        .put(
                            "DEBUG_TRACE_URL_TEMPLATE",
                            "http://grafana.test/explore?call={call_id}"))));
    base = "http://127.0.0.1:" + debug.actualPort();
    DebugVerticle bare = new DebugVerticle();
    await(
        vertx.deployVerticle(
            bare,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("HOST", "127.0.0.1")
                        .put("DEBUG_PORT", "0")
                        .put("DATABASE_URL", RecordedCalls.DATABASE_URL))));
    bareBase = "http://127.0.0.1:" + bare.actualPort();
    browser = HeadlessChromium.launch(vertx);
    browser.call(
        "Emulation.setTimezoneOverride", new JsonObject().put("timezoneId", "Pacific/Auckland"));
    browser.call("Emulation.setLocaleOverride", new JsonObject().put("locale", "de-DE"));
  }

  /**
   * The request and the response as they arrived, and the policy's upper-cased versions of both.
   */
  private static UUID recordUpperCasedCall() {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = recordedAt;
    JsonObject request =
        new JsonObject()
            .put("model", MODEL)
            .put("max_tokens", 64)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "system").put("content", "You are terse."))
                    .add(new JsonObject().put("role", "user").put("content", USER_TEXT)));
    JsonObject response = RecordedCalls.completion(MODEL, ASSISTANT_TEXT);
    try (RecordedCalls calls = RecordedCalls.open(vertx)) {
      calls.insertCall(id, MODEL, 200, now);
      calls.insertEvent(
          id,
          "request",
          0,
          new JsonObject().put("original", request).put("final", upperCased(request)),
          now);
      calls.insertEvent(
          id,
          "response",
          1,
          new JsonObject()
              .put("original", response)
              .put("final", upperCased(response))
              .put("status", 200),
          now.plusNanos(5_000_000));
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
      assertThat(browser.problems())
          .as("JavaScript errors, console errors or dialogs in the page")
          .isEmpty();
    } finally {
      browser.forgetProblems();
    }
  }

  @Test
  @DisplayName(
      "a deep link opens the recorded call: changed badges, original and final side by side, the trace link, payload markup as text")
  void deepLinkShowsDiff() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));

    assertThat(browser.navigate(base + "/debug/diff?call_id=" + callId)).isEqualTo(200);
    browser.waitFor(
        "document.querySelector('#diff-view').dataset.callId === "
            + Json.encode(callId)
            + " && !document.querySelector('#diff-view').hidden");

    assertThat(browser.text("document.querySelector('#request-badge').dataset.state"))
        .isEqualTo("changed");
    assertThat(browser.text("document.querySelector('#response-badge').dataset.state"))
        .isEqualTo("changed");
    String userRow = "document.querySelector('#messages .diff-row[data-index=\"1\"]')";
    assertThat(browser.text(userRow + ".dataset.status")).isEqualTo("changed");
    assertThat(browser.text(userRow + ".querySelector('.cell.original').innerText"))
        .contains(USER_TEXT);
    assertThat(browser.text(userRow + ".querySelector('.cell.final').innerText"))
        .contains(USER_TEXT.toUpperCase(Locale.ROOT));
    assertThat(
            browser.text(
                "document.querySelector('#choices .diff-row .cell.original [data-part=content]').innerText"))
        .contains(ASSISTANT_TEXT);
    assertThat(
            browser.text(
                "document.querySelector('#choices .diff-row .cell.final [data-part=content]').innerText"))
        .contains(ASSISTANT_TEXT.toUpperCase(Locale.ROOT));
    assertThat(browser.text("document.querySelector('#trace-link').href"))
        .isEqualTo("http://grafana.test/explore?call=" + callId);
    assertThat(browser.text("document.querySelector('#trace-link').target")).isEqualTo("_blank");
    assertThat(browser.evaluate("document.querySelector('#trace-link').hidden")).isEqualTo(false);
    assertThat(browser.evaluate("document.querySelector('#trace-missing').hidden")).isEqualTo(true);
    assertThat(
            browser.text(
                "document.querySelector('#parameters-table tr[data-param=max_tokens]').dataset.status"))
        .isEqualTo("unchanged");
    assertThat(
            browser.evaluate(
                "document.querySelectorAll('#patch-request .patch-op[data-op=replace]').length"))
        .isEqualTo(2);
    assertThat(
            browser.text("document.querySelector('#raw-request [data-raw=original]').textContent"))
        .contains("<script>alert(1)</script>");

    assertThat(browser.evaluate("typeof window.__luthienPwned")).isEqualTo("undefined");
    assertThat(
            browser.evaluate("document.querySelectorAll('main img, main b, main script').length"))
        .isEqualTo(0);
    assertThat(browser.evaluate("document.scripts.length")).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a call whose response was too large to record whole shows its response as truncated, with its size and the kept preview, not as 'not recorded'")
  void truncatedResponse() {
    UUID truncatedCall = UUID.randomUUID();
    String model = MODEL + "-big"; // not MODEL: the calls list test expects one call of MODEL
    JsonObject request =
        new JsonObject()
            .put("model", model)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "big")));
    try (RecordedCalls calls = RecordedCalls.open(vertx)) {
      calls.insertCall(truncatedCall, model, 200, recordedAt);
      calls.insertEvent(
          truncatedCall,
          "request",
          0,
          new JsonObject().put("original", request).put("final", request),
          recordedAt);
      // what the recorder stores for a payload over RECORDER_MAX_PAYLOAD_BYTES
      calls.insertEvent(
          truncatedCall,
          "response",
          1,
          new JsonObject()
              .put("truncated", true)
              .put("original_bytes", 52_428_815)
              .put("preview", "{\"final\": {\"text\": \"zzzz"),
          recordedAt.plusNanos(5_000_000));
    }
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));

    browser.navigate(base + "/debug/diff?call_id=" + truncatedCall);
    browser.waitFor(
        "document.querySelector('#diff-view').dataset.callId === "
            + Json.encode(truncatedCall.toString())
            + " && !document.querySelector('#diff-view').hidden");

    assertThat(browser.text("document.querySelector('#response-badge').dataset.state"))
        .isEqualTo("truncated");
    assertThat(browser.text("document.querySelector('#response-badge').innerText"))
        .isEqualTo("truncated");
    assertThat(browser.evaluate("document.querySelector('#response-truncated').hidden"))
        .isEqualTo(false);
    assertThat(browser.text("document.querySelector('#response-truncated').innerText"))
        .contains("too large to be recorded whole")
        .contains("52,428,815 bytes");
    assertThat(
            browser.text(
                "document.querySelector('#response-truncated .truncated-preview pre').textContent"))
        .isEqualTo("{\"final\": {\"text\": \"zzzz");
    assertThat(browser.evaluate("document.querySelector('#request-truncated').hidden"))
        .isEqualTo(true);
    assertThat(browser.text("document.querySelector('#request-badge').dataset.state"))
        .isEqualTo("unchanged");
  }

  @Test
  @DisplayName(
      "the calls list, filtered by model and status, shows the call; clicking it loads its diff and puts its id in the address")
  void callsListOpensDiff() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");
    String item = "document.querySelector('.call-item[data-call-id=\"" + callId + "\"]')";

    setValue("#filter-model", MODEL);
    setValue("#filter-status", "500");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor(
        "document.querySelector('#calls-summary').innerText.includes('No recorded calls match')");
    setValue("#filter-status", "200");
    browser.evaluate("document.querySelector('#apply-filters').click()");
    browser.waitFor(item + " !== null");
    assertThat(browser.evaluate("document.querySelectorAll('.call-item').length")).isEqualTo(1);
    assertThat(browser.evaluate("document.querySelector('#diff-view').hidden")).isEqualTo(true);

    browser.evaluate(item + ".click()");

    browser.waitFor(
        "document.querySelector('#diff-view').dataset.callId === " + Json.encode(callId));
    assertThat(browser.text("new URLSearchParams(location.search).get('call_id')"))
        .isEqualTo(callId);
    assertThat(browser.text("new URLSearchParams(location.search).get('model')")).isEqualTo(MODEL);
    assertThat(browser.evaluate(item + ".classList.contains('selected')")).isEqualTo(true);
    assertThat(browser.text("document.querySelector('#meta-fields').innerText")).contains(MODEL);
  }

  @Test
  @DisplayName(
      "an unknown call id says the call is not found, and a malformed one shows the server's message")
  void unknownCallIds() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");

    openTyped(UUID.randomUUID().toString());
    browser.waitFor("document.querySelector('#message').dataset.reason === 'not-found'");
    assertThat(browser.text("document.querySelector('#message').innerText"))
        .containsIgnoringCase("call not found");

    openTyped("not-a-uuid");
    browser.waitFor("document.querySelector('#message').dataset.reason === 'bad-request'");
    assertThat(browser.text("document.querySelector('#message').innerText"))
        .contains("call_id must be a UUID");
  }

  @Test
  @DisplayName(
      "the monitor goes live and shows a published event; filters hide and show it, a click expands its JSON, pause holds events")
  void monitorShowsLiveEvents() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/activity/monitor");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");

    String liveCall = UUID.randomUUID().toString();
    vertx
        .eventBus()
        .publish(
            Addresses.ACTIVITY_FEED,
            activity(liveCall, "policy.content_flagged", "<b>flagged</b> text"));

    String row = "document.querySelector('.event-row[data-call-id=\"" + liveCall + "\"]')";
    browser.waitFor(row + " !== null");
    assertThat(browser.text(row + ".innerText"))
        .contains(liveCall)
        .contains("policy.content_flagged")
        .contains("gpt-4o-mini")
        .contains("<b>flagged</b> text");
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
    JsonObject shown =
        new JsonObject(browser.text(row + ".querySelector('.event-json').innerText"));
    assertThat(shown.getString("call_id")).isEqualTo(liveCall);
    assertThat(shown.getJsonObject("data").getString("preview")).isEqualTo("<b>flagged</b> text");
    assertThat(browser.evaluate("document.querySelectorAll('#events b').length")).isEqualTo(0);

    browser.evaluate("document.querySelector('#pause-button').click()");
    vertx
        .eventBus()
        .publish(Addresses.ACTIVITY_FEED, activity(liveCall, "policy.second_look", "later"));
    browser.waitFor("document.querySelector('#pause-note').dataset.held === '1'");
    assertThat(browser.evaluate(rowsOf(liveCall) + ".length")).isEqualTo(1);
    browser.evaluate("document.querySelector('#pause-button').click()");
    assertThat(browser.evaluate(rowsOf(liveCall) + ".length")).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "the monitor opens showing the events of a call that ran before it, newest first, and a reconnect does not repeat them")
  void monitorShowsEarlierEvents() {
    String earlierCall = UUID.randomUUID().toString();
    try (SseListener witness =
        SseListener.open(vertx, port(base), "/activity/stream?call_id=" + earlierCall, KEY)) {
      vertx
          .eventBus()
          .publish(Addresses.ACTIVITY_FEED, activity(earlierCall, "request.received", "hello"));
      vertx
          .eventBus()
          .publish(Addresses.ACTIVITY_FEED, activity(earlierCall, "response.sent", "HELLO"));
      witness.awaitEvent(e -> "response.sent".equals(e.getString("event_type")));
    }
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));

    browser.navigate(base + "/activity/monitor");

    browser.waitFor(rowsOf(earlierCall) + ".length === 2");
    assertThat(browser.text(rowsOf(earlierCall) + "[0].dataset.eventType"))
        .isEqualTo("response.sent");
    assertThat(browser.text(rowsOf(earlierCall) + "[1].dataset.eventType"))
        .isEqualTo("request.received");
    assertThat(browser.evaluate("document.querySelector('#events-empty').hidden")).isEqualTo(true);

    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");
    browser.evaluate("document.querySelector('#reconnect-button').click()");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");
    vertx
        .eventBus()
        .publish(Addresses.ACTIVITY_FEED, activity(earlierCall, "policy.after_reconnect", "again"));
    browser.waitFor(
        "document.querySelector('.event-row[data-event-type=\"policy.after_reconnect\"]') !== null");
    assertThat(browser.evaluate(rowsOf(earlierCall) + ".length")).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "the index page opens without the key, in the pages' look, and every link on it opens a page that loads")
  void indexLinksEveryPage() {
    browser.useHeaders(Map.of());

    assertThat(browser.navigate(base + "/")).isEqualTo(200);

    browser.waitFor("document.querySelector('#key-status').dataset.state === 'required'");
    assertThat(
            browser.text(
                "getComputedStyle(document.querySelector('header.topbar')).backgroundColor"))
        .isEqualTo("rgb(29, 35, 48)");
    JsonArray links =
        (JsonArray)
            Json.decodeValue(
                browser.text(
                    "JSON.stringify(Array.from(document.querySelectorAll('main a[href]'), a => a.getAttribute('href')))"));
    assertThat(links)
        .containsExactlyInAnyOrder(
            "/debug/diff",
            "/activity/monitor",
            "/policies",
            "/history",
            "/debug/calls",
            "/api/history/sessions",
            "/health");
    JsonArray routes =
        (JsonArray)
            Json.decodeValue(
                browser.text(
                    "JSON.stringify(Array.from("
                        + "document.querySelectorAll('.route'), r => [r.querySelector('.path').textContent, r.children[1].textContent.trim(),"
                        + " r.querySelector('.access').textContent]))"));
    assertThat(routes).hasSize(11);
    for (Object route : routes) {
      JsonArray cells = (JsonArray) route;
      assertThat(cells.getString(1)).as("what %s is", cells.getString(0)).hasSizeGreaterThan(20);
      assertThat(cells.getString(2))
          .isEqualTo(cells.getString(0).equals("/health") ? "open" : "admin key");
    }

    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    for (Object link : links) {
      assertThat(browser.navigate(base + link)).as(String.valueOf(link)).isEqualTo(200);
      String contentType = browser.text("document.contentType");
      if (contentType.equals("text/html")) {
        assertThat(browser.text("document.title")).startsWith("Luthien");
        assertThat(browser.evaluate("document.querySelector('nav a[href=\"/\"]') !== null"))
            .isEqualTo(true);
      } else {
        assertThat(contentType).isEqualTo("application/json");
        assertThat(new JsonObject(browser.text("document.body.innerText"))).isNotNull();
      }
    }
  }

  @Test
  @DisplayName("on a node without ADMIN_API_KEY the index page says every route is open")
  void indexWithoutAdminKey() {
    browser.useHeaders(Map.of());

    browser.navigate(bareBase + "/");

    browser.waitFor("document.querySelector('#key-status').dataset.state === 'open'");
    assertThat(browser.text("document.querySelector('#key-status').innerText"))
        .contains("ADMIN_API_KEY is not set");
    assertThat(
            browser.evaluate(
                "Array.from(document.querySelectorAll('.route .access'))"
                    + ".every(badge => badge.textContent.startsWith('open'))"))
        .isEqualTo(true);
  }

  @Test
  @DisplayName(
      "the diff page shows dates as ISO 8601 in UTC, whatever the browser's locale and time zone")
  void datesAreIso() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));

    browser.navigate(base + "/debug/diff?model=" + MODEL + "&call_id=" + callId);

    browser.waitFor(
        "document.querySelector('#diff-view').dataset.callId === "
            + Json.encode(callId)
            + " && document.querySelector('.call-item') !== null");
    String created = ISO_MILLIS.format(recordedAt);
    assertThat(
            browser.text(
                "document.querySelector('#meta-fields [data-field=created] dd').textContent"))
        .isEqualTo(created);
    assertThat(
            browser.text(
                "document.querySelector('#meta-fields [data-field=completed] dd').textContent"))
        .isEqualTo(ISO_MILLIS.format(recordedAt.plusNanos(5_000_000)));
    assertThat(browser.text("document.querySelector('.call-item .line2').innerText"))
        .contains(created);
  }

  @Test
  @DisplayName(
      "without a trace backend the diff page shows no trace link and names the variables that would give one")
  void noTraceBackend() {
    browser.useHeaders(Map.of());

    browser.navigate(bareBase + "/debug/diff?call_id=" + callId);

    browser.waitFor(
        "document.querySelector('#diff-view').dataset.callId === " + Json.encode(callId));
    assertThat(browser.evaluate("document.querySelector('#trace-link').hidden")).isEqualTo(true);
    assertThat(browser.evaluate("document.querySelector('#trace-link').hasAttribute('href')"))
        .isEqualTo(false);
    assertThat(browser.evaluate("document.querySelector('#trace-refused').hidden")).isEqualTo(true);
    assertThat(browser.text("document.querySelector('#trace-missing').innerText"))
        .contains("No trace backend configured")
        .contains("DEBUG_TRACE_URL_TEMPLATE")
        .contains("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  @DisplayName(
      "without the admin key a page answers 401, and a page whose key turns wrong says it is not authorised")
  void notAuthorised() {
    browser.useHeaders(Map.of());
    assertThat(browser.navigate(base + "/debug/diff")).isEqualTo(401);
    assertThat(browser.navigate(base + "/activity/monitor")).isEqualTo(401);
    assertThat(browser.evaluate("document.querySelector('#connection-status') === null"))
        .isEqualTo(true);

    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/debug/diff");
    browser.waitFor("document.querySelector('.call-item') !== null");
    browser.useHeaders(Map.of("Authorization", "Bearer wrong-key"));
    browser.evaluate("document.querySelector('#refresh-calls').click()");
    browser.waitFor("!document.querySelector('#calls-message').hidden");
    assertThat(browser.text("document.querySelector('#calls-message').innerText"))
        .contains("Not authorised");

    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    browser.navigate(base + "/activity/monitor");
    browser.waitFor("document.querySelector('#connection-status').dataset.state === 'live'");
    browser.useHeaders(Map.of("x-api-key", "revoked-key"));
    browser.evaluate("document.querySelector('#reconnect-button').click()");
    browser.waitFor(
        "document.querySelector('#connection-status').dataset.state === 'unauthorised'");
    assertThat(browser.text("document.querySelector('#message').innerText"))
        .contains("Not authorised");
  }

  private static String rowsOf(String call) {
    return "document.querySelectorAll('.event-row[data-call-id=\"" + call + "\"]')";
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  private void openTyped(String id) {
    setValue("#call-id-input", id);
    browser.evaluate("document.querySelector('#call-id-open').click()");
  }

  private void setValue(String selector, String value) {
    browser.evaluate(
        "(() => { const input = document.querySelector("
            + Json.encode(selector)
            + "); input.value = "
            + Json.encode(value)
            + "; input.dispatchEvent(new Event('input', {bubbles: true}));"
            + " input.dispatchEvent(new Event('change', {bubbles: true})); })()");
  }

  private static JsonObject activity(String call, String type, String preview) {
    return new JsonObject()
        .put("call_id", call)
        .put("event_type", type)
        .put("timestamp", Instant.now().toString())
        .put("data", new JsonObject().put("model", "gpt-4o-mini").put("preview", preview));
  }

  /**
   * A deep copy with every "content" string upper-cased, as the upper-casing policy would leave it.
   */
  private static JsonObject upperCased(JsonObject json) {
    return (JsonObject) upperCasedValue(json.copy());
  }

  private static Object upperCasedValue(Object value) {
    if (value instanceof JsonObject object) {
      for (String name : object.fieldNames()) {
        Object field = object.getValue(name);
        object.put(
            name,
            "content".equals(name) && field instanceof String text
                ? text.toUpperCase(Locale.ROOT)
                : upperCasedValue(field));
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
