package io.luthien.debug;

import static io.luthien.debug.RecordedCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebugApiTest {

  static final String ADMIN_KEY = "admin-test-key";

  private Vertx vertx;
  private RecordedCalls recorded;
  private WebClient client;
  private final String model = "debug-test-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    recorded = RecordedCalls.open(vertx);
    DebugVerticle debug = new DebugVerticle();
    await(
        vertx.deployVerticle(
            debug,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("DEBUG_PORT", "0")
                        .put("ADMIN_API_KEY", ADMIN_KEY)
                        .put("DATABASE_URL", RecordedCalls.DATABASE_URL)
                        .put(
                            "DEBUG_TRACE_URL_TEMPLATE",
                            "http://grafana.test/explore?call={call_id}"))));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(debug.actualPort()));
  }

  @AfterEach
  void stop() {
    recorded.close();
    await(vertx.close());
  }

  @Test
  @DisplayName(
      "a call with a 50 MB response is answered 200, its payload as a truncation marker with its size, and its diff says it was truncated")
  void hugePayload() {
    UUID callId = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String answer = "z".repeat(25 * 1024 * 1024);
    recorded.insertCall(callId, model, 200, now);
    recorded.insertEvent(
        callId,
        "request",
        0,
        new JsonObject()
            .put("original", new JsonObject().put("model", model))
            .put("final", new JsonObject().put("model", model)),
        now);
    recorded.insertEvent(
        callId,
        "response",
        1,
        new JsonObject()
            .put("original", new JsonObject().put("text", answer))
            .put("final", new JsonObject().put("text", answer))
            .put("status", 200),
        now);

    HttpResponse<Buffer> call = get("/debug/calls/" + callId);
    assertThat(call.statusCode()).isEqualTo(200);
    JsonObject response = call.bodyAsJsonObject().getJsonArray("events").getJsonObject(1);
    JsonObject payload = response.getJsonObject("payload");
    assertThat(payload.getBoolean("truncated")).isTrue();
    assertThat(payload.getLong("original_bytes")).isGreaterThan(50L * 1024 * 1024);
    assertThat(payload.getString("preview")).startsWith("{\"final\": {\"text\": \"zzz");

    HttpResponse<Buffer> diff = get("/debug/calls/" + callId + "/diff");
    assertThat(diff.statusCode()).isEqualTo(200);
    JsonObject truncated = diff.bodyAsJsonObject().getJsonObject("truncated");
    assertThat(truncated.getBoolean("response")).isTrue();
    assertThat(truncated.getBoolean("request")).isFalse();
    assertThat(truncated.getLong("response_bytes")).isEqualTo(payload.getLong("original_bytes"));
    assertThat(truncated.getString("response_preview")).isEqualTo(payload.getString("preview"));
    assertThat(truncated.containsKey("request_bytes")).isFalse();
    assertThat(diff.bodyAsJsonObject().getJsonObject("request").getJsonObject("final"))
        .isEqualTo(new JsonObject().put("model", model));
  }

  @Test
  @DisplayName(
      "the calls list is newest first and pages with the next_before cursor without gaps or repeats")
  void listsAndPages() {
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
    List<UUID> ids =
        List.of(
            recorded.insertChangedCall(model, base, "one", "a"),
            recorded.insertChangedCall(model, base.plusSeconds(1), "two", "b"),
            recorded.insertChangedCall(model, base.plusSeconds(2), "three", "c"));

    JsonObject first = getJson("/debug/calls?limit=2&model=" + model);
    JsonObject second =
        getJson(
            "/debug/calls?limit=2&model=" + model + "&before=" + first.getString("next_before"));

    assertThat(callIds(first)).containsExactly(ids.get(2).toString(), ids.get(1).toString());
    assertThat(callIds(second)).containsExactly(ids.get(0).toString());
    assertThat(second.getValue("next_before")).isNull();
    JsonObject call = first.getJsonArray("calls").getJsonObject(0);
    assertThat(call.getString("model")).isEqualTo(model);
    assertThat(call.getInteger("status")).isEqualTo(200);
    assertThat(call.getBoolean("stream")).isFalse();
    assertThat(call.getLong("event_count")).isEqualTo(3);
    assertThat(call.getString("created_at")).isNotBlank();
  }

  @Test
  @DisplayName("status and since filter the list")
  void filters() {
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2);
    UUID old = recorded.insertChangedCall(model, base, "old", "a");
    UUID recent = recorded.insertChangedCall(model, base.plusHours(1), "recent", "b");
    UUID failed = UUID.randomUUID();
    recorded.insertCall(failed, model, 502, base.plusHours(1));

    assertThat(callIds(getJson("/debug/calls?model=" + model + "&status=502")))
        .containsExactly(failed.toString());
    assertThat(callIds(getJson("/debug/calls?model=" + model + "&since=" + base.plusMinutes(30))))
        .containsExactlyInAnyOrder(recent.toString(), failed.toString())
        .doesNotContain(old.toString());
  }

  @Test
  @DisplayName("SQL metacharacters in a filter are data: nothing matches and the tables are intact")
  void sqlMetacharactersAreData() {
    recorded.insertChangedCall(model, OffsetDateTime.now(ZoneOffset.UTC), "x", "y");
    long before = recorded.callRows();

    HttpResponse<Buffer> response =
        get("/debug/calls?model=" + encode("x' OR '1'='1'; DROP TABLE conversation_calls; --"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("calls")).isEmpty();
    assertThat(recorded.callRows()).isGreaterThanOrEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/debug/calls?limit=0",
        "/debug/calls?limit=1000",
        "/debug/calls?limit=ten",
        "/debug/calls?status=abc",
        "/debug/calls?status=999",
        "/debug/calls?since=yesterday",
        "/debug/calls?before=not-a-cursor",
        "/debug/calls/not-a-uuid",
        "/debug/calls/1-2-3-4-5/diff",
        "/activity/stream?call_id=42",
        "/activity/stream?event_type=%3Cscript%3E"
      })
  @DisplayName("malformed call ids and filter values are a 400 that says what is wrong")
  void malformedInputIs400(String uri) {
    HttpResponse<Buffer> response = get(uri);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("an unknown call id is a 404, for the call and for its diff")
  void unknownCallIs404() {
    String unknown = UUID.randomUUID().toString();

    assertThat(get("/debug/calls/" + unknown).statusCode()).isEqualTo(404);
    assertThat(get("/debug/calls/" + unknown + "/diff").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/debug/calls",
        "/debug/calls/" + "00000000-0000-0000-0000-000000000000",
        "/activity/stream",
        "/debug/diff",
        "/activity/monitor",
        "/policies",
        "/debug/assets/no-such-file.js"
      })
  @DisplayName(
      "without the admin key, or with a wrong one, every debug route is a 401 with a Basic challenge")
  void adminKeyRequired(String uri) {
    HttpResponse<Buffer> missing = await(client.get(uri).send());
    HttpResponse<Buffer> wrong =
        await(client.get(uri).putHeader("Authorization", "Bearer nope").send());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(missing.getHeader("WWW-Authenticate")).startsWith("Basic");
    assertThat(wrong.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("authentication_error");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "/health", "/debug/assets/luthien.css", "/debug/assets/index.js"})
  @DisplayName("the index page, /health and the pages' scripts and stylesheet need no admin key")
  void openRoutes(String uri) {
    HttpResponse<Buffer> response = await(client.get(uri).send());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
  }

  @Test
  @DisplayName(
      "/health says whether the admin key is required, so the open index page can say which routes ask for it")
  void healthTellsWhetherTheKeyIsRequired() {
    JsonObject health = await(client.get("/health").send()).bodyAsJsonObject();

    assertThat(health.getBoolean("admin_key_required")).isTrue();
    assertThat(health.getString("status")).isEqualTo("healthy");
  }

  @Test
  @DisplayName("the admin key is accepted as x-api-key and as the password of HTTP Basic")
  void otherKeyForms() {
    assertThat(
            await(client.get("/debug/calls?limit=1").putHeader("x-api-key", ADMIN_KEY).send())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            await(
                    client
                        .get("/debug/calls?limit=1")
                        .basicAuthentication("anyone", ADMIN_KEY)
                        .send())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            await(client.get("/debug/calls?limit=1").basicAuthentication("anyone", "wrong").send())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  @DisplayName("the pages are HTML served with a policy that lets only their own script files run")
  void pagesForbidForeignScripts() {
    for (String page : List.of("/", "/debug/diff", "/activity/monitor", "/policies")) {
      HttpResponse<Buffer> response = get(page);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).startsWith("text/html");
      assertThat(response.getHeader("Content-Security-Policy")).contains("script-src 'self';");
      assertThat(response.bodyAsString()).doesNotContain("onclick=").doesNotContain("<script>");
    }
  }

  @Test
  @DisplayName("a call's detail lists every event in sequence order with a link to its trace")
  void callDetail() {
    UUID callId =
        recorded.insertChangedCall(model, OffsetDateTime.now(ZoneOffset.UTC), "hello", "world");

    JsonObject call = getJson("/debug/calls/" + callId);

    JsonArray events = call.getJsonArray("events");
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("event_type")))
        .containsExactly("request", "policy.uppercased", "response");
    assertThat(
            events
                .getJsonObject(0)
                .getJsonObject("payload")
                .getJsonObject("original")
                .getString("model"))
        .isEqualTo(model);
    assertThat(call.getString("trace_url")).isEqualTo("http://grafana.test/explore?call=" + callId);
    assertThat(call.getString("call_id")).isEqualTo(callId.toString());
  }

  @Test
  @DisplayName("the diff shows what the policy changed in the request and the response")
  void diff() {
    UUID callId =
        recorded.insertChangedCall(model, OffsetDateTime.now(ZoneOffset.UTC), "hello", "world");

    JsonObject diff = getJson("/debug/calls/" + callId + "/diff");

    assertThat(diff.getString("call_id")).isEqualTo(callId.toString());
    assertThat(diff.getString("trace_url")).contains(callId.toString());
    assertThat(diff.getJsonObject("request").getBoolean("changed")).isTrue();
    assertThat(
            diff.getJsonObject("request")
                .getJsonArray("messages")
                .getJsonObject(0)
                .getString("status"))
        .isEqualTo("changed");
    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("content").getString("original")).isEqualTo("world");
    assertThat(choice.getJsonObject("content").getString("final")).isEqualTo("WORLD");
    assertThat(diff.getJsonObject("json_patch").getJsonArray("response")).isNotEmpty();
  }

  private JsonObject getJson(String uri) {
    HttpResponse<Buffer> response = get(uri);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> get(String uri) {
    return await(client.get(uri).bearerTokenAuthentication(ADMIN_KEY).send());
  }

  private static List<String> callIds(JsonObject page) {
    return page.getJsonArray("calls").stream()
        .map(call -> ((JsonObject) call).getString("call_id"))
        .toList();
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }
}
