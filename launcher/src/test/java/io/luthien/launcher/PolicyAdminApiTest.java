package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.luthien.shared.TcpGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The policy admin API on one node with every role, against its own fresh database. */
class PolicyAdminApiTest {

  private static final String ADMIN_KEY = "admin-key-for-tests";

  private final List<Vertx> nodes = new ArrayList<>();
  private Vertx client;
  private WebClient web;
  private FakeUpstream upstream;
  private String database;
  private int gatewayPort;
  private int debugPort;

  @BeforeEach
  void start() {
    database = LocalServices.freshDatabase();
    client = Vertx.vertx();
    web = WebClient.create(client);
    upstream = await(FakeUpstream.start(client));
  }

  @AfterEach
  void stop() {
    nodes.forEach(vertx -> await(vertx.close()));
    await(client.close());
    LocalServices.dropDatabase(database);
  }

  @Test
  @DisplayName(
      "every /api/admin route needs the admin key on both ports: none or a wrong one is 401, and"
          + " without ADMIN_API_KEY the API is off (403)")
  void adminKeyOnEveryRoute() throws IOException {
    startNode(database, Map.of());
    List<String[]> routes =
        List.of(
            new String[] {"GET", "/api/admin/policy/current"},
            new String[] {"GET", "/api/admin/policy/list"},
            new String[] {"POST", "/api/admin/policy/set"},
            new String[] {"GET", "/api/admin/policy/history"},
            new String[] {"POST", "/api/admin/test/chat"},
            new String[] {"POST", "/api/admin/replay"});
    for (int port : List.of(gatewayPort, debugPort)) {
      for (String[] route : routes) {
        HttpRequest<Buffer> request =
            web.request(HttpMethod.valueOf(route[0]), port, "127.0.0.1", route[1]);
        assertThat(await(request.send()).statusCode()).as(route[1]).isEqualTo(401);
        HttpResponse<Buffer> wrong =
            await(
                web.request(HttpMethod.valueOf(route[0]), port, "127.0.0.1", route[1])
                    .putHeader("x-api-key", "not-the-key")
                    .send());
        assertThat(wrong.statusCode()).as(route[1]).isEqualTo(401);
        assertThat(wrong.bodyAsJsonObject().getString("error")).isEqualTo("invalid admin key");
      }
    }
    await(nodes.remove(0).close());

    startNode(database, Map.of("ADMIN_API_KEY", ""));
    HttpResponse<Buffer> off = await(admin(HttpMethod.GET, "/api/admin/policy/current").send());
    assertThat(off.statusCode()).isEqualTo(403);
    assertThat(off.bodyAsJsonObject().getString("error")).contains("set ADMIN_API_KEY");
  }

  @Test
  @DisplayName(
      "a bad class or a bad config is a 400 naming it and nothing changes; a good one is stored,"
          + " served, and listed in the history with the chain it replaced")
  void setValidatesFirst() throws IOException {
    startNode(database, Map.of());
    JsonObject before = get("/api/admin/policy/current");
    assertThat(before.getString("source")).isEqualTo("file");
    assertThat(before.getString("class_ref")).isEqualTo("AllCapsPolicy");

    HttpResponse<Buffer> unknownClass = set("NoSuchPolicy", new JsonObject());
    assertThat(unknownClass.statusCode()).isEqualTo(400);
    assertThat(unknownClass.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(unknownClass.bodyAsJsonObject().getString("error")).contains("NoSuchPolicy");

    HttpResponse<Buffer> badConfig =
        set(
            "StringReplacementPolicy",
            new JsonObject()
                .put("replacements", new JsonArray().add(new JsonArray().add("a").add("b")))
                .put("apply_to", "everywhere"));
    assertThat(badConfig.statusCode()).isEqualTo(400);
    assertThat(badConfig.bodyAsJsonObject().getString("error"))
        .contains("StringReplacementPolicy")
        .contains("apply_to");

    assertThat(get("/api/admin/policy/current")).isEqualTo(before);
    assertThat(get("/api/admin/policy/history").getJsonArray("changes")).isEmpty();
    assertThat(completion("hello")).isEqualTo("FAKE REPLY TO: HELLO");

    HttpResponse<Buffer> good =
        set(
            "StringReplacementPolicy",
            new JsonObject()
                .put("replacements", new JsonArray().add(new JsonArray().add("fake").add("real"))));
    assertThat(good.statusCode()).as(good.bodyAsString()).isEqualTo(200);
    assertThat(good.bodyAsJsonObject().getBoolean("success")).isTrue();
    assertThat(completion("hello")).isEqualTo("real reply to: hello");

    JsonObject current = get("/api/admin/policy/current");
    assertThat(current.getString("source")).isEqualTo("database");
    assertThat(current.getString("enabled_by")).isEqualTo("policy-admin-test");
    JsonArray changes = get("/api/admin/policy/history").getJsonArray("changes");
    assertThat(changes).hasSize(1);
    assertThat(changes.getJsonObject(0).getString("policy_class_ref"))
        .isEqualTo("StringReplacementPolicy");
  }

  @Test
  @DisplayName(
      "the list names every shipped policy with its description, config schema and example")
  void listsPolicies() throws IOException {
    startNode(database, Map.of());
    JsonArray policies = get("/api/admin/policy/list").getJsonArray("policies");
    JsonObject replacement =
        policies.stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals("StringReplacementPolicy"))
            .findFirst()
            .orElseThrow();
    assertThat(replacement.getString("class_ref"))
        .isEqualTo("io.luthien.policy.library.StringReplacementPolicy");
    assertThat(replacement.getString("description")).isNotBlank();
    assertThat(
            replacement
                .getJsonObject("config_schema")
                .getJsonObject("properties")
                .getJsonObject("apply_to")
                .getJsonArray("enum"))
        .containsExactlyInAnyOrder("request", "response", "both");
    assertThat(replacement.getJsonObject("example_config").containsKey("replacements")).isTrue();
    assertThat(policies.size()).isGreaterThanOrEqualTo(18);
  }

  @Test
  @DisplayName(
      "two concurrent sets: one is active, both are in the history; after a restart the node"
          + " serves the stored policy and keeps the history")
  void concurrentSetsAndRestart() throws IOException {
    startNode(database, Map.of());
    List<Future<HttpResponse<Buffer>>> sets = new ArrayList<>();
    for (String to : List.of("one", "two")) {
      sets.add(
          admin(HttpMethod.POST, "/api/admin/policy/set")
              .sendJsonObject(
                  new JsonObject()
                      .put("policy_class_ref", "StringReplacementPolicy")
                      .put(
                          "config",
                          new JsonObject()
                              .put(
                                  "replacements",
                                  new JsonArray().add(new JsonArray().add("fake").add(to))))));
    }
    for (Future<HttpResponse<Buffer>> set : sets) {
      assertThat(await(set).statusCode()).isEqualTo(200);
    }
    JsonArray changes = get("/api/admin/policy/history").getJsonArray("changes");
    assertThat(changes).hasSize(2);
    JsonObject newest = changes.getJsonObject(0);
    JsonObject older = changes.getJsonObject(1);
    assertThat(newest.getBoolean("is_active")).isTrue();
    assertThat(older.getBoolean("is_active")).isFalse();
    assertThat(newest.getJsonObject("previous").getLong("id")).isEqualTo(older.getLong("id"));
    String winner =
        newest.getJsonObject("config").getJsonArray("replacements").getJsonArray(0).getString(1);
    assertThat(completion("hi")).isEqualTo(winner + " reply to: hi");

    await(nodes.remove(0).close());
    String banner = startNode(database, Map.of());
    assertThat(banner)
        .contains(
            "StringReplacementPolicy (set by api at ",
            "stored as policy_config #" + newest.getLong("id"));
    assertThat(get("/api/admin/policy/current").getLong("id")).isEqualTo(newest.getLong("id"));
    assertThat(get("/api/admin/policy/history").getJsonArray("changes")).isEqualTo(changes);
    assertThat(completion("hi")).isEqualTo(winner + " reply to: hi");
  }

  @Test
  @DisplayName(
      "POLICY_SOURCE=file refuses a set (409) and keeps the file's policy; db ignores the file")
  void policySourceVariants() throws IOException {
    startNode(database, Map.of("POLICY_SOURCE", "file"));
    HttpResponse<Buffer> refused = set("NoOpPolicy", new JsonObject());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("POLICY_SOURCE=file");
    assertThat(get("/api/admin/policy/history").getJsonArray("changes")).isEmpty();
    assertThat(completion("hi")).isEqualTo("FAKE REPLY TO: HI");
    await(nodes.remove(0).close());

    startNode(database, Map.of("POLICY_SOURCE", "db"));
    JsonObject current = get("/api/admin/policy/current");
    assertThat(current.getString("source")).isEqualTo("default");
    assertThat(current.getString("policy")).isEqualTo("NoOpPolicy");
    assertThat(completion("hi")).isEqualTo("fake reply to: hi");
    assertThat(set("AllCapsPolicy", new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(completion("hi")).isEqualTo("FAKE REPLY TO: HI");
  }

  @Test
  @DisplayName(
      "with the database unreachable a set is a 503, nothing changes, and calls keep the active"
          + " policy")
  void databaseDown() throws IOException {
    TcpGate gate = await(TcpGate.toPostgres(client));
    startNode(database.replace(":5432/", ":" + gate.port() + "/"), Map.of());
    gate.shut();
    HttpResponse<Buffer> down = set("NoOpPolicy", new JsonObject());
    assertThat(down.statusCode()).as(down.bodyAsString()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(completion("hi")).isEqualTo("FAKE REPLY TO: HI");
    gate.reopen();
    assertThat(get("/api/admin/policy/history").getJsonArray("changes")).isEmpty();
  }

  /** The node's ready banner. */
  private String startNode(String databaseUrl, Map<String, String> more) throws IOException {
    gatewayPort = NodeFixture.freePort();
    debugPort = NodeFixture.freePort();
    Path policy = Files.createTempFile("policy", ".yaml");
    Files.writeString(policy, "policy:\n  class: AllCapsPolicy\n  config: {}\n");
    policy.toFile().deleteOnExit();
    Map<String, String> env =
        NodeFixture.env(
            "GATEWAY_PORT",
            gatewayPort,
            "DEBUG_PORT",
            debugPort,
            "ADMIN_API_KEY",
            ADMIN_KEY,
            "DATABASE_URL",
            databaseUrl,
            "POLICY_CONFIG",
            policy,
            "OPENAI_BASE_URL",
            upstream.baseUrl());
    env.putAll(more);
    env.values().removeIf(String::isEmpty);
    RunningNode node = await(NodeFixture.start(List.of(), env));
    nodes.add(node.vertx());
    return node.banner().text();
  }

  private HttpRequest<Buffer> admin(HttpMethod method, String path) {
    return web.request(method, gatewayPort, "127.0.0.1", path).bearerTokenAuthentication(ADMIN_KEY);
  }

  private JsonObject get(String path) {
    HttpResponse<Buffer> response = await(admin(HttpMethod.GET, path).send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> set(String classRef, JsonObject config) {
    return await(
        admin(HttpMethod.POST, "/api/admin/policy/set")
            .sendJsonObject(
                new JsonObject()
                    .put("policy_class_ref", classRef)
                    .put("config", config)
                    .put("enabled_by", "policy-admin-test")));
  }

  private String completion(String text) {
    HttpResponse<Buffer> response =
        await(
            web.post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
                .sendJsonObject(NodeFixture.chat("gpt-4o", text, false)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return NodeFixture.assistantText(response.bodyAsString(), false);
  }
}
