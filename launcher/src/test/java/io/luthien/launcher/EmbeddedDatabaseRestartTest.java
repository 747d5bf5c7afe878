package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A node whose embedded PostgreSQL dies: what /ready and /health say, and how it comes back. */
class EmbeddedDatabaseRestartTest {

  private Vertx node;
  private Vertx clientVertx;

  @AfterEach
  void stop() {
    if (node != null) {
      await(node.close());
    }
    if (clientVertx != null) {
      await(clientVertx.close());
    }
  }

  @Test
  @DisplayName(
      "when the embedded PostgreSQL is killed, /ready is 503 and /health says the database is down; "
          + "it is restarted by itself, /ready is 200 again and calls are recorded again")
  void restartsKilledDatabase() throws Exception {
    Path dataDir = Files.createTempDirectory("luthien-restart");
    int gatewayPort = NodeFixture.freePort();
    int metricsPort = NodeFixture.freePort();
    int databasePort = NodeFixture.freePort();
    node =
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT", gatewayPort,
                "DEBUG_PORT", NodeFixture.freePort(),
                "METRICS_PORT", metricsPort,
                "LUTHIEN_DATA_DIR", dataDir,
                "EMBEDDED_POSTGRES_PORT", databasePort,
                "RECORDER_FLUSH_MS", "20"));
    clientVertx = Vertx.vertx();
    WebClient client = WebClient.create(clientVertx);
    assertThat(ready(client, metricsPort).statusCode()).isEqualTo(200);
    String before = call(client, gatewayPort);
    awaitRecorded(dataDir, databasePort, before);

    long pid =
        Long.parseLong(
            Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    postmaster.destroyForcibly();
    postmaster.onExit().get(10, TimeUnit.SECONDS);

    HttpResponse<Buffer> down =
        poll(client, metricsPort, "/ready", response -> response.statusCode() == 503, 10);
    assertThat(down.bodyAsJsonObject().getJsonObject("database").getString("status"))
        .isEqualTo("down");
    HttpResponse<Buffer> health = get(client, metricsPort, "/health");
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("degraded");
    assertThat(health.bodyAsJsonObject().getJsonObject("database").getString("status"))
        .isEqualTo("down");

    HttpResponse<Buffer> back =
        poll(client, metricsPort, "/ready", response -> response.statusCode() == 200, 60);
    JsonObject database = back.bodyAsJsonObject().getJsonObject("database");
    assertThat(database.getString("status")).isEqualTo("up");
    assertThat(database.getInteger("restarts")).isEqualTo(1);
    String after = call(client, gatewayPort);
    awaitRecorded(dataDir, databasePort, after);
  }

  private static String call(WebClient client, int port) {
    HttpResponse<Buffer> response =
        await(
            client
                .post(port, "127.0.0.1", "/v1/chat/completions")
                .sendJsonObject(NodeFixture.chat("mock", "record me", false)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.getHeader("X-Call-ID");
  }

  private static HttpResponse<Buffer> ready(WebClient client, int port) {
    return get(client, port, "/ready");
  }

  private static HttpResponse<Buffer> get(WebClient client, int port, String path) {
    return await(client.get(port, "127.0.0.1", path).send());
  }

  private static HttpResponse<Buffer> poll(
      WebClient client, int port, String path, Predicate<HttpResponse<Buffer>> until, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    HttpResponse<Buffer> response = get(client, port, path);
    while (!until.test(response)) {
      assertThat(System.nanoTime())
          .as("%s within %d s (last: %s)", path, seconds, response.bodyAsString())
          .isLessThan(deadline);
      LocalServices.sleep(50);
      response = get(client, port, path);
    }
    return response;
  }

  private static void awaitRecorded(Path dataDir, int port, String callId) throws Exception {
    String password =
        Files.readString(dataDir.resolve("postgres-luthien.password"), StandardCharsets.UTF_8)
            .strip();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection connection =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "luthien", password);
          PreparedStatement sql =
              connection.prepareStatement(
                  "SELECT count(*) FROM conversation_calls WHERE call_id = ?::uuid")) {
        sql.setString(1, callId);
        try (ResultSet result = sql.executeQuery()) {
          result.next();
          if (result.getLong(1) == 1) {
            return;
          }
        }
      } catch (java.sql.SQLException notYet) {
        // the server or the table is not there yet
      }
      assertThat(System.nanoTime()).as("call %s recorded", callId).isLessThan(deadline);
      LocalServices.sleep(300);
    }
  }
}
