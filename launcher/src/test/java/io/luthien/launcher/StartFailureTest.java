package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartFailureTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GATEWAY_PORT", "DEBUG_PORT", "METRICS_PORT", "EMBEDDED_POSTGRES_PORT"})
  @DisplayName(
      "a port already taken stops the start with one line naming the address and the variable that sets it")
  void portInUse(String variable) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Map<String, String> env =
          NodeFixture.env(
              "GATEWAY_PORT",
              NodeFixture.freePort(),
              "DEBUG_PORT",
              NodeFixture.freePort(),
              "METRICS_PORT",
              NodeFixture.freePort(),
              "DATABASE_URL",
              LocalServices.POSTGRES_URL);
      if (variable.equals("EMBEDDED_POSTGRES_PORT")) {
        env.remove("DATABASE_URL");
        env.put("LUTHIEN_DATA_DIR", Files.createTempDirectory("luthien-data").toString());
      }
      env.put(variable, String.valueOf(taken.getLocalPort()));

      Throwable failure = startFailure(env);

      assertThat(StartProblem.in(failure))
          .as("a problem the operator can fix, not a bare exception: " + failure)
          .hasValueSatisfying(
              problem ->
                  assertThat(problem.getMessage())
                      .startsWith(
                          "cannot listen on 127.0.0.1:"
                              + taken.getLocalPort()
                              + " ("
                              + variable
                              + "): already in use")
                      .endsWith("set " + variable + " to a free port")
                      .doesNotContain("\n"));
    }
  }

  private static Throwable startFailure(Map<String, String> env) throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    NodeFixture.start(List.of(), env)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                result.result().vertx().close().onComplete(closed -> outcome.complete(null));
              } else {
                outcome.complete(result.cause());
              }
            });
    Throwable failure = outcome.get(60, TimeUnit.SECONDS);
    assertThat(failure).as("the start failed").isNotNull();
    return failure;
  }
}
