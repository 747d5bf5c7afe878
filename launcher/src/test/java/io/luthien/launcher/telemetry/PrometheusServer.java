package io.luthien.launcher.telemetry;

import io.luthien.shared.LocalServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus server (Debian's {@code prometheus} package, 2.42) on loopback, scraping one
 * target every second, with its configuration and TSDB in a directory of its own. Tests query it
 * with PromQL over its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/prometheus");
  public static final String JOB = "luthien";

  private final Process process;
  private final Path directory;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, Path directory, int port) {
    this.process = process;
    this.directory = directory;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code http://127.0.0.1:<targetPort>/metrics} (job {@value #JOB})
   * and returns once it answers {@code /-/ready}. Its output goes to {@code prometheus.log} in
   * {@code directory}.
   */
  public static PrometheusServer start(Path directory, int targetPort) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          BINARY
              + " is missing: install Debian's prometheus package "
              + "(apt-get install -y prometheus; .ci/run installs it when it is missing)");
    }
    deleteTree(directory.resolve("tsdb"));
    Files.createDirectories(directory);
    Path config = directory.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(JOB, targetPort));
    int port = NodeProcess.freePort();
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, directory, port);
    try {
      server.awaitReady(Duration.ofSeconds(30));
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * An instant PromQL query; the {@code result} array of its answer (empty when nothing matches
   * yet).
   */
  public JsonArray query(String promql) {
    JsonObject answer =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.getString("status"))) {
      throw new AssertionError("Prometheus refused " + promql + ": " + answer.encode());
    }
    return answer.getJsonObject("data").getJsonArray("result");
  }

  /** The single value of an instant vector query, or null while the query matches nothing. */
  public Double scalar(String promql) {
    JsonArray result = query(promql);
    if (result.isEmpty()) {
      return null;
    }
    if (result.size() > 1) {
      throw new AssertionError(
          promql + " matches " + result.size() + " series: " + result.encode());
    }
    return Double.valueOf(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  /** The scrape targets and their health, for failure messages. */
  public JsonArray targets() {
    return get("/api/v1/targets").getJsonObject("data").getJsonArray("activeTargets");
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
        last = ready.statusCode() + " " + ready.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      LocalServices.sleep(100);
    }
    throw new AssertionError(
        "prometheus not ready within " + timeout.toSeconds() + " s (" + last + "): " + log());
  }

  private JsonObject get(String pathAndQuery) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new AssertionError("cannot reach Prometheus at " + url() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String log() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("prometheus.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
