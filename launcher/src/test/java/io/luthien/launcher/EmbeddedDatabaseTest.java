package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embedded PostgreSQL as another user of the machine, and the application, see it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedDatabaseTest {

  private Vertx vertx;
  private Path dataDir;
  private EmbeddedDatabase database;

  @BeforeAll
  void start() throws IOException {
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("luthien-embedded");
    database = deploy(dataDir, new JsonObject());
  }

  @AfterAll
  void stop() {
    await(vertx.close());
  }

  private EmbeddedDatabase deploy(Path directory, JsonObject extra) {
    EmbeddedDatabase started = new EmbeddedDatabase();
    JsonObject config =
        new JsonObject().put("LUTHIEN_DATA_DIR", directory.toString()).mergeIn(extra);
    await(vertx.deployVerticle(started, new DeploymentOptions().setConfig(config)));
    return started;
  }

  /** A JDBC connection as the recorder and the debug API make it, from the URL they are given. */
  private static Connection asApplication(EmbeddedDatabase database) throws SQLException {
    DatabaseSettings settings =
        DatabaseSettings.from(
            new Settings(new JsonObject().put(DatabaseSettings.DATABASE_URL, database.url())));
    return DriverManager.getConnection(
        settings.jdbcUrl(),
        settings.connectOptions().getUser(),
        settings.connectOptions().getPassword());
  }

  private static String show(Connection connection, String setting) throws SQLException {
    try (Statement sql = connection.createStatement();
        ResultSet result = sql.executeQuery("SHOW " + setting)) {
      result.next();
      return result.getString(1);
    }
  }

  @Test
  @DisplayName("the recorder and the debug API connect as a role that is not a superuser")
  void applicationIsNoSuperuser() throws SQLException {
    try (Connection connection = asApplication(database);
        Statement sql = connection.createStatement();
        ResultSet result =
            sql.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getBoolean(1)).as("rolsuper").isFalse();
    }
  }

  @Test
  @DisplayName("the application's role cannot run a shell through COPY ... TO PROGRAM")
  void noCopyToProgram() throws SQLException {
    try (Connection connection = asApplication(database);
        Statement sql = connection.createStatement()) {
      assertThatThrownBy(() -> sql.execute("COPY (SELECT 1) TO PROGRAM 'id'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  @DisplayName("the application's role owns its database, so the schema migrations can run")
  void applicationCanCreateTables() throws SQLException {
    try (Connection connection = asApplication(database);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE owned_by_app (id int)");
      sql.execute("DROP TABLE owned_by_app");
    }
  }

  @Test
  @DisplayName(
      "a local user without the password is refused, as the superuser or as the application")
  void noTrust() {
    String url = "jdbc:postgresql://127.0.0.1:" + database.port() + "/postgres";
    for (String user : new String[] {"postgres", "luthien"}) {
      assertThatThrownBy(() -> DriverManager.getConnection(url, user, "").close())
          .as(user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> DriverManager.getConnection(url, user, "guess").close())
          .as(user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  @DisplayName("the generated passwords are in files only the node's user can read (0600)")
  void passwordFilesArePrivate() throws IOException {
    for (String file : new String[] {"postgres-luthien.password", "postgres-superuser.password"}) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
  }

  @Test
  @DisplayName(
      "by default the server is durable: fsync, synchronous commits and full-page writes on")
  void durableByDefault() throws SQLException {
    try (Connection connection = asApplication(database)) {
      assertThat(show(connection, "fsync")).isEqualTo("on");
      assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
      assertThat(show(connection, "full_page_writes")).isEqualTo("on");
    }
  }

  @Test
  @DisplayName(
      "EMBEDDED_POSTGRES_DURABLE=false trades that for speed: fsync and synchronous commits off")
  void fastWhenAsked() throws Exception {
    Path other = Files.createTempDirectory("luthien-embedded-fast");
    EmbeddedDatabase fast =
        deploy(other, new JsonObject().put("EMBEDDED_POSTGRES_DURABLE", "false"));
    try (Connection connection = asApplication(fast)) {
      assertThat(show(connection, "fsync")).isEqualTo("off");
      assertThat(show(connection, "synchronous_commit")).isEqualTo("off");
    }
  }

  @Test
  @DisplayName(
      "a data directory an older node made (trust for everyone) gets its passwords at the next start, "
          + "and the application role owns what was recorded in it")
  void olderDirectoryIsLockedDown() throws Exception {
    Path older = Files.createTempDirectory("luthien-embedded-older");
    try (EmbeddedPostgres trusting =
            EmbeddedPostgres.builder()
                .setDataDirectory(older.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start();
        Connection connection = trusting.getPostgresDatabase().getConnection();
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE recorded_before (id int)");
      sql.execute("INSERT INTO recorded_before VALUES (42)");
    }

    EmbeddedDatabase upgraded = deploy(older, new JsonObject());

    try (Connection connection = asApplication(upgraded);
        Statement sql = connection.createStatement();
        ResultSet result = sql.executeQuery("SELECT id FROM recorded_before")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getInt(1)).isEqualTo(42);
      sql.execute("INSERT INTO recorded_before VALUES (43)");
    }
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + upgraded.port() + "/postgres",
                        "postgres",
                        "")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
  }
}
