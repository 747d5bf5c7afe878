package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.telemetry.NodeProcess;
import io.luthien.shared.LocalServices;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packaged jar on its embedded PostgreSQL, killed with {@code kill -9} and started again on the
 * same data directory: what it keeps, and what the kill loses.
 */
class KilledNodeIT {

  private static final Logger log = LoggerFactory.getLogger(KilledNodeIT.class);
  private static final int SETTLED_CALLS = 5;
  private static final int LAST_CALLS = 50;

  @Test
  @DisplayName(
      "after kill -9 the next start on the same data directory stops the orphaned PostgreSQL, starts, "
          + "and still has the calls recorded before")
  void restartsAfterKill() throws Exception {
    Path dataDir = Files.createTempDirectory("luthien-killed");
    int databasePort = NodeFixture.freePort();
    Map<String, String> env =
        Map.of(
            "DATABASE_URL",
            "",
            "LUTHIEN_DATA_DIR",
            dataDir.toString(),
            "EMBEDDED_POSTGRES_PORT",
            String.valueOf(databasePort));
    List<String> settled = new ArrayList<>();
    List<String> last = new ArrayList<>();
    long eventsPerCall;
    NodeProcess first = NodeProcess.start("killed-first", env);
    try {
      for (int i = 0; i < SETTLED_CALLS; i++) {
        settled.add(callId(first.chat("mock", "settled " + i, false)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long seen = -1;
      long now = events(dataDir, databasePort, settled);
      while (now == 0 || now != seen || calls(dataDir, databasePort, settled) < SETTLED_CALLS) {
        assertThat(System.nanoTime()).as("the first calls are recorded").isLessThan(deadline);
        LocalServices.sleep(500);
        seen = now;
        now = events(dataDir, databasePort, settled);
      }
      eventsPerCall = now / SETTLED_CALLS;
      for (int i = 0; i < LAST_CALLS; i++) {
        last.add(callId(first.chat("mock", "last " + i, false)));
      }
    } finally {
      ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
      ProcessHandle.of(first.pid()).ifPresent(jvm -> jvm.onExit().join());
    }

    try (NodeProcess second = NodeProcess.start("killed-second", env)) {
      assertThat(calls(dataDir, databasePort, settled)).isEqualTo(SETTLED_CALLS);
      assertThat(second.chat("mock", "after the restart", false).statusCode()).isEqualTo(200);
      long stored = events(dataDir, databasePort, last);
      long lost = LAST_CALLS * eventsPerCall - stored;
      log.info(
          "kill -9 right after the last of {} answers: {} of {} events stored, {} lost ({} calls of "
              + "{} recorded)",
          LAST_CALLS,
          stored,
          LAST_CALLS * eventsPerCall,
          lost,
          calls(dataDir, databasePort, last),
          LAST_CALLS);
    }
  }

  private static String callId(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("X-Call-ID").orElseThrow();
  }

  private static long calls(Path dataDir, int port, List<String> ids) throws Exception {
    return count(dataDir, port, "conversation_calls", ids);
  }

  private static long events(Path dataDir, int port, List<String> ids) throws Exception {
    return count(dataDir, port, "conversation_events", ids);
  }

  private static long count(Path dataDir, int port, String table, List<String> ids)
      throws IOException, SQLException {
    String password =
        Files.readString(dataDir.resolve("postgres-luthien.password"), StandardCharsets.UTF_8)
            .strip();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "luthien", password);
        PreparedStatement sql =
            connection.prepareStatement(
                "SELECT count(*) FROM " + table + " WHERE call_id = ANY (?::uuid[])")) {
      sql.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet result = sql.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("does not exist")) {
        return 0;
      }
      throw e;
    }
  }
}
