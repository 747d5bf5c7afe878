package io.luthien.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.policy.PolicyVerticle;
import io.luthien.shared.Addresses;
import io.luthien.shared.LocalServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The policies page in headless Chromium, against a real {@link DebugVerticle} and a real policy
 * node ({@link PolicyVerticle}) on a fresh database of their own (a stored policy must not reach
 * other tests through the shared one). The policy file starts them on a chain of two policies. A
 * small fake stands in for the gateway's {@link Addresses#POLICY_TRIAL}: it echoes the prompt (or
 * the recorded answer) and upper-cases its final answer, and remembers the candidate it was sent.
 * The tests run in order: activating changes what the later ones start from.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoliciesPageBrowserTest {

  private static final String KEY = "admin-key-for-policies-page";
  private static final String MARKUP =
      "<script>window.__luthienPwned=true</script><img src=x onerror=\"window.__luthienPwned=true\">";

  private static Vertx vertx;
  private static HeadlessChromium browser;
  private static String database;
  private static Path policyFile;
  private static String base;
  private static final List<String> deployments = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> trials = new CopyOnWriteArrayList<>();
  private static MessageConsumer<JsonObject> fakeGateway;

  @BeforeAll
  static void start(Vertx sharedVertx) throws IOException {
    vertx = sharedVertx;
    database = LocalServices.freshDatabase();
    policyFile = Files.createTempFile("policies-page", ".yaml");
    Files.writeString(
        policyFile,
        """
        policy:
          class: MultiSerialPolicy
          config:
            policies:
              - class: NoOpPolicy
                config: {}
              - class: AllCapsPolicy
                config: {}
        """);
    DebugVerticle debug = new DebugVerticle();
    deployments.add(
        await(
            vertx.deployVerticle(
                debug,
                new DeploymentOptions()
                    .setConfig(
                        new JsonObject()
                            .put("HOST", "127.0.0.1")
                            .put("DEBUG_PORT", "0")
                            .put("ADMIN_API_KEY", KEY)
                            .put("DATABASE_URL", database)))));
    deployments.add(
        await(
            vertx.deployVerticle(
                new PolicyVerticle(),
                new DeploymentOptions()
                    .setConfig(
                        new JsonObject()
                            .put("DATABASE_URL", database)
                            .put("POLICY_CONFIG", policyFile.toString())))));
    base = "http://127.0.0.1:" + debug.actualPort();
    fakeGateway =
        vertx
            .eventBus()
            .consumer(
                Addresses.POLICY_TRIAL,
                message -> {
                  trials.add(message.body().copy());
                  message.reply(fakeTrial(message.body()));
                });
    await(fakeGateway.completion());
    browser = HeadlessChromium.launch(vertx);
  }

  /**
   * The prompt echoed (or the recorded answer) as the original answer, upper-cased as the final.
   */
  private static JsonObject fakeTrial(JsonObject trial) {
    JsonObject request = trial.getJsonObject("request");
    JsonObject original = trial.getJsonObject("recorded_response");
    if (original == null) {
      JsonArray messages = request.getJsonArray("messages");
      String prompt = messages.getJsonObject(messages.size() - 1).getString("content");
      original = RecordedCalls.completion(request.getString("model"), "echo: " + prompt);
    }
    JsonObject upper = original.copy();
    JsonObject message = upper.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    message.put("content", message.getString("content").toUpperCase(Locale.ROOT));
    return new JsonObject()
        .put("call_id", trial.getString("call_id", UUID.randomUUID().toString()))
        .put("request", new JsonObject().put("original", request).put("final", request))
        .put(
            "response",
            new JsonObject().put("original", original).put("final", upper).put("status", 200))
        .put(
            "events",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("event_type", "policy.fake_uppercased")
                        .put("phase", "response")
                        .put("data", new JsonObject().put("note", MARKUP))));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (browser != null) {
        browser.close();
      }
      if (fakeGateway != null) {
        await(fakeGateway.unregister());
      }
      for (String deployment : deployments) {
        await(vertx.undeploy(deployment));
      }
    } finally {
      LocalServices.dropDatabase(database);
      Files.deleteIfExists(policyFile);
    }
  }

  @BeforeEach
  void openPage() {
    browser.useHeaders(Map.of("Authorization", "Bearer " + KEY));
    assertThat(browser.navigate(base + "/policies")).isEqualTo(200);
    browser.waitFor("document.body.dataset.ready === 'true'");
  }

  @AfterEach
  void nothingRanOrBroke() {
    try {
      assertThat(browser.evaluate("typeof window.__luthienPwned")).isEqualTo("undefined");
      assertThat(
              browser.evaluate("document.querySelectorAll('.layout img, .layout script').length"))
          .isEqualTo(0);
      assertThat(browser.problems())
          .as("JavaScript errors, console errors or dialogs in the page")
          .isEmpty();
    } finally {
      browser.forgetProblems();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "the page shows the active chain from the policy file, item by item, starts the editor on it,"
          + " and offers every policy grouped by category")
  void showsActiveChain() {
    assertThat(field("policy")).isEqualTo("MultiSerialPolicy (NoOpPolicy → AllCapsPolicy)");
    assertThat(field("source")).startsWith("file");
    assertThat(names("#active-chain > li")).containsExactly("NoOpPolicy", "AllCapsPolicy");
    assertThat(names("#chain-items > li")).containsExactly("NoOpPolicy", "AllCapsPolicy");
    assertThat(browser.evaluate("document.querySelectorAll('#add-policy optgroup').length"))
        .isNotEqualTo(0);
    assertThat(
            browser.evaluate(
                "document.querySelector('#add-policy option[value=StringReplacementPolicy]')"
                    + ".parentElement.tagName"))
        .isEqualTo("OPTGROUP");
    assertThat(browser.evaluate("document.querySelector('#history-empty').hidden"))
        .isEqualTo(false);
    assertThat(browser.evaluate("document.scripts.length")).isEqualTo(3);
  }

  @Test
  @Order(2)
  @DisplayName(
      "a StringReplacementPolicy added through its generated form and activated becomes the active"
          + " policy, with a history row saying what it replaced; its markup stays text")
  void addAndActivate() {
    pickPolicy("StringReplacementPolicy");
    assertThat(browser.text("document.querySelector('#add-description').textContent")).isNotBlank();
    assertThat(kind("replacements")).isEqualTo("json");
    assertThat(kind("apply_to")).isEqualTo("enum");
    assertThat(kind("match_capitalization")).isEqualTo("boolean");
    assertThat(browser.text("document.querySelector('[name=apply_to]').value"))
        .isEqualTo("response");
    removeAll();

    setValue(
        "[name=replacements]",
        new JsonArray().add(new JsonArray().add("hello").add(MARKUP)).encode());
    setValue("[name=apply_to]", "both");
    click("#add-item");
    assertThat(names("#chain-items > li")).containsExactly("StringReplacementPolicy");
    click("#activate");

    browser.waitFor("document.querySelector('#activate-message').dataset.state === 'activated'");
    assertThat(field("policy")).isEqualTo("StringReplacementPolicy");
    assertThat(field("source")).startsWith("database");
    assertThat(field("enabled-by")).isEqualTo("policies page");
    assertThat(browser.text("document.querySelector('#active-config').textContent"))
        .contains("window.__luthienPwned=true")
        .contains("\"both\"");
    JsonObject served = served();
    assertThat(served.getString("class_ref")).isEqualTo("StringReplacementPolicy");
    assertThat(served.getJsonObject("config").getString("apply_to")).isEqualTo("both");

    browser.waitFor("document.querySelectorAll('#history-list .history-row').length === 1");
    String row = "document.querySelector('#history-list .history-row')";
    assertThat(browser.text(row + ".innerText"))
        .contains("StringReplacementPolicy")
        .contains("by policies page")
        .contains("active")
        .contains("replaced the policy file or the default policy");
  }

  @Test
  @Order(3)
  @DisplayName(
      "a value the policy refuses (a replacement that is not a pair, a number out of range) shows"
          + " the server's message naming the key and changes nothing; a JSON field that does not"
          + " parse is refused before anything is sent")
  void badValuesChangeNothing() {
    JsonObject servedBefore = served();
    String activeBefore = browser.text("document.querySelector('#active-fields').innerText");
    int historyBefore = rows("#history-list .history-row");
    pickPolicy("StringReplacementPolicy");

    setValue("[name=replacements]", "[[\"a\", ");
    click("#add-item");
    assertThat(browser.evaluate("document.querySelector('#add-error').hidden")).isEqualTo(false);
    assertThat(browser.text("document.querySelector('#add-error').innerText"))
        .startsWith("replacements: not valid JSON");
    assertThat(rows("#chain-items > li")).isEqualTo(1);

    setValue("[name=replacements]", "[[\"not a pair\"]]");
    click("#add-item");
    assertThat(names("#chain-items > li"))
        .containsExactly("StringReplacementPolicy", "StringReplacementPolicy");
    click("#activate");

    browser.waitFor("document.querySelector('#activate-message').dataset.state === 'refused'");
    assertThat(browser.text("document.querySelector('#activate-message').innerText"))
        .contains("nothing changed")
        .contains("replacements[0]")
        .contains("StringReplacementPolicy");

    browser.evaluate(action(1, "remove") + ".click()");
    pickPolicy("DebugLoggingPolicy");
    assertThat(kind("preview_chars")).isEqualTo("number");
    assertThat(browser.text("document.querySelector('[name=preview_chars]').max"))
        .isEqualTo("10000");
    assertThat(browser.text("document.querySelector('[name=preview_chars]').value"))
        .as("the schema's default")
        .isEqualTo("200");
    setValue("[name=preview_chars]", "20000");
    click("#add-item");
    browser.evaluate("document.querySelector('#activate-message').dataset.state = ''");
    click("#activate");
    browser.waitFor("document.querySelector('#activate-message').dataset.state === 'refused'");
    assertThat(browser.text("document.querySelector('#activate-message').innerText"))
        .contains("preview_chars");

    assertThat(served()).isEqualTo(servedBefore);
    assertThat(browser.text("document.querySelector('#active-fields').innerText"))
        .isEqualTo(activeBefore);
    assertThat(rows("#history-list .history-row")).isEqualTo(historyBefore);
    assertThat(rows("#chain-items > li")).as("the edited chain stays, to be fixed").isEqualTo(2);
  }

  @Test
  @Order(4)
  @DisplayName("chain items move up and down and are removed, and the ends cannot move further")
  void reorderAndRemove() {
    removeAll();
    for (String policy : List.of("AllCapsPolicy", "NoOpPolicy", "DebugLoggingPolicy")) {
      pickPolicy(policy);
      click("#add-item");
    }
    assertThat(names("#chain-items > li"))
        .containsExactly("AllCapsPolicy", "NoOpPolicy", "DebugLoggingPolicy");
    assertThat(browser.evaluate(action(0, "up") + ".disabled")).isEqualTo(true);
    assertThat(browser.evaluate(action(2, "down") + ".disabled")).isEqualTo(true);

    browser.evaluate(action(0, "down") + ".click()");
    assertThat(names("#chain-items > li"))
        .containsExactly("NoOpPolicy", "AllCapsPolicy", "DebugLoggingPolicy");
    browser.evaluate(action(2, "up") + ".click()");
    assertThat(names("#chain-items > li"))
        .containsExactly("NoOpPolicy", "DebugLoggingPolicy", "AllCapsPolicy");
    browser.evaluate(action(1, "remove") + ".click()");
    assertThat(names("#chain-items > li")).containsExactly("NoOpPolicy", "AllCapsPolicy");

    click("#reset-chain");
    assertThat(names("#chain-items > li")).containsExactly("StringReplacementPolicy");
  }

  @Test
  @Order(5)
  @DisplayName(
      "a test chat runs the edited chain, not the active one, and shows the answer before and"
          + " after it and its events, markup as text")
  void testChat() {
    removeAll();
    pickPolicy("AllCapsPolicy");
    click("#add-item");
    pickPolicy("NoOpPolicy");
    click("#add-item");
    trials.clear();
    setValue("#test-model", "gpt-test");
    setValue("#test-prompt", "say " + MARKUP);
    click("#test-run");

    browser.waitFor("!document.querySelector('#test-result').hidden");
    assertThat(browser.text("document.querySelector('#test-before').textContent"))
        .isEqualTo("echo: say " + MARKUP);
    assertThat(browser.text("document.querySelector('#test-after').textContent"))
        .isEqualTo(("echo: say " + MARKUP).toUpperCase(Locale.ROOT));
    assertThat(browser.text("document.querySelector('#test-events').innerText"))
        .contains("policy.fake_uppercased")
        .contains("<script>window.__luthienPwned=true</script><img src=x onerror=");
    assertThat(
            browser.text(
                "document.querySelector('#test-diff .diff-side[data-side=response] .side-title .badge')"
                    + ".dataset.state"))
        .isEqualTo("changed");
    assertThat(trials).hasSize(1);
    JsonObject candidate = trials.get(0).getJsonObject("candidate");
    assertThat(candidate.getString("class")).isEqualTo("MultiSerialPolicy");
    assertThat(
            candidate.getJsonObject("config").getJsonArray("policies").stream()
                .map(item -> ((JsonObject) item).getString("class")))
        .containsExactly("AllCapsPolicy", "NoOpPolicy");
    assertThat(trials.get(0).getJsonObject("request").getString("model")).isEqualTo("gpt-test");
  }

  @Test
  @Order(6)
  @DisplayName(
      "a replay of a recorded call, by id or as the last N, shows the summary and the call's"
          + " outcome and diff; an unknown call id shows the server's message")
  void replay() {
    UUID recorded;
    try (RecordedCalls calls = RecordedCalls.open(vertx, database)) {
      recorded =
          calls.insertChangedCall(
              "gpt-replayed", OffsetDateTime.now(ZoneOffset.UTC), "hi " + MARKUP, "answer");
    }
    setValue("#replay-call-id", recorded.toString());
    click("#replay-run");

    browser.waitFor("!document.querySelector('#replay-summary').hidden");
    assertThat(count("calls")).isEqualTo("1");
    assertThat(count("changed")).isEqualTo("1");
    assertThat(count("failed")).isEqualTo("0");
    String call = "document.querySelector('.replay-call[data-call-id=\"" + recorded + "\"]')";
    assertThat(browser.text(call + ".dataset.outcome")).isEqualTo("changed");
    assertThat(
            browser.text(
                call
                    + ".querySelector('[data-diff=chain] .diff-side[data-side=response]').innerText"))
        .contains("answer")
        .contains("ANSWER");
    assertThat(browser.text(call + ".querySelector('[data-diff=chain]').textContent"))
        .contains("hi " + MARKUP);

    setValue("#replay-call-id", "");
    setValue("#replay-last", "1");
    browser.evaluate("document.querySelector('#replay-counts').textContent = ''");
    click("#replay-run");
    browser.waitFor("document.querySelector('#replay-counts').textContent !== ''");
    assertThat(count("calls")).isEqualTo("1");

    String unknown = UUID.randomUUID().toString();
    setValue("#replay-last", "");
    setValue("#replay-call-id", unknown);
    click("#replay-run");
    browser.waitFor("document.querySelector('#replay-message').dataset.state === 'failed'");
    assertThat(browser.text("document.querySelector('#replay-message').innerText"))
        .contains(unknown);
  }

  @Test
  @Order(7)
  @DisplayName("without the admin key the page answers 401")
  void needsTheKey() {
    browser.useHeaders(Map.of());
    assertThat(browser.navigate(base + "/policies")).isEqualTo(401);
  }

  /** The policy a policy node serves now. */
  private static JsonObject served() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.POLICY_CURRENT, new JsonObject()))
        .body();
  }

  private static String field(String name) {
    return browser.text(
        "document.querySelector('#active-fields [data-field=" + name + "] dd').textContent");
  }

  private static String count(String name) {
    return browser.text(
        "document.querySelector('#replay-counts [data-count=" + name + "] dd').textContent");
  }

  private static JsonArray namesArray(String selector) {
    return new JsonArray(
        browser.text(
            "JSON.stringify(Array.from(document.querySelectorAll("
                + Json.encode(selector)
                + "), li => li.querySelector('.item-name').textContent))"));
  }

  private static List<String> names(String selector) {
    return namesArray(selector).stream().map(String::valueOf).toList();
  }

  private static int rows(String selector) {
    return ((Number)
            browser.evaluate("document.querySelectorAll(" + Json.encode(selector) + ").length"))
        .intValue();
  }

  private static String kind(String key) {
    return browser.text("document.querySelector('#add-fields [name=" + key + "]').dataset.kind");
  }

  private static String action(int index, String action) {
    return "document.querySelectorAll('#chain-items > li')["
        + index
        + "].querySelector('[data-action="
        + action
        + "]')";
  }

  private static void removeAll() {
    browser.evaluate(
        "(() => { let b; while ((b = document.querySelector('#chain-items [data-action=remove]'))) b.click(); })()");
    assertThat(rows("#chain-items > li")).isZero();
  }

  private static void pickPolicy(String name) {
    setValue("#add-policy", name);
    browser.waitFor("document.querySelector('#add-policy').value === " + Json.encode(name));
  }

  private static void click(String selector) {
    browser.evaluate("document.querySelector(" + Json.encode(selector) + ").click()");
  }

  private static void setValue(String selector, String value) {
    browser.evaluate(
        "(() => { const input = document.querySelector("
            + Json.encode(selector)
            + "); input.value = "
            + Json.encode(value)
            + "; input.dispatchEvent(new Event('input', {bubbles: true}));"
            + " input.dispatchEvent(new Event('change', {bubbles: true})); })()");
  }

  private static <T> T await(Future<T> future) {
    return RecordedCalls.await(future);
  }
}
