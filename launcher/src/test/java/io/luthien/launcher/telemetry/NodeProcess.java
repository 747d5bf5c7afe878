package io.luthien.launcher.telemetry;

import io.luthien.shared.LocalServices;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The fat jar that {@code package} built, running every role in a JVM of its own as {@code java
 * -jar} runs it in production, with an environment the test chooses. Its stdout and stderr land in
 * {@code target/it/<name>/}; its ports are picked free; it stores calls in the machine's PostgreSQL
 * and feeds activity through its Redis.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Path directory;
  private final Map<String, String> env;
  private final boolean terminal;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NodeProcess(Process process, Path directory, Map<String, String> env, boolean terminal) {
    this.process = process;
    this.directory = directory;
    this.env = env;
    this.terminal = terminal;
  }

  /** Starts the node and returns once it logged that it is up (its banner: every role deployed). */
  public static NodeProcess start(String name, Map<String, String> extraEnv) throws IOException {
    return started(launch(name, extraEnv, false));
  }

  /**
   * The same, with its stdout a terminal, as when someone types {@code java -jar} in a shell:
   * {@code script} gives it a pseudo-terminal (its output lands in {@code stdout.log} with {@code
   * \r\n} line ends).
   */
  public static NodeProcess startOnTerminal(String name, Map<String, String> extraEnv)
      throws IOException {
    return started(launch(name, extraEnv, true));
  }

  /** Starts a node that is expected to stop by itself (a failed start), and waits until it has. */
  public static Exited runUntilExit(String name, Map<String, String> extraEnv) throws IOException {
    NodeProcess node = launch(name, extraEnv, false);
    try {
      if (!node.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the node still runs after " + START_TIMEOUT.toSeconds() + " s\n" + node.tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      node.close();
    }
    return new Exited(
        node.process.exitValue(), node.stdout(), read(node.directory.resolve("stderr.log")));
  }

  /** How a node that stopped by itself ended: its exit status and what it printed. */
  public record Exited(int status, String stdout, String stderr) {}

  private static NodeProcess started(NodeProcess node) {
    try {
      node.awaitUp();
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
    return node;
  }

  private static NodeProcess launch(String name, Map<String, String> extraEnv, boolean terminal)
      throws IOException {
    Path jar =
        Path.of(System.getProperty("luthien.jar", "target/luthien-vertx.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          jar + " does not exist: these tests run after `package` (mvn verify)");
    }
    LocalServices.ensurePostgresUp();
    LocalServices.ensureRedisUp();
    Path directory = itDirectory().resolve(name);
    Files.createDirectories(directory);

    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", System.getenv().getOrDefault("HOME", "/root"));
    env.put("HOST", "127.0.0.1");
    env.put("GATEWAY_PORT", String.valueOf(freePort()));
    env.put("DEBUG_PORT", String.valueOf(freePort()));
    env.put("METRICS_PORT", String.valueOf(freePort()));
    env.put("DATABASE_URL", LocalServices.POSTGRES_URL);
    env.put("REDIS_URL", LocalServices.REDIS_URL);
    env.put("LUTHIEN_DATA_DIR", directory.resolve("data").toString());
    env.put("GATEWAY_INSTANCES", "1");
    env.putAll(extraEnv);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-Xmx384m", "-jar", jar.toString());
    if (terminal) {
      command =
          List.of(
              "script",
              "--quiet",
              "--flush",
              "--return",
              "--command",
              command.stream().map(NodeProcess::shellQuoted).collect(Collectors.joining(" ")),
              "/dev/null");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(directory.resolve("stdout.log").toFile())
            .redirectError(directory.resolve("stderr.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return new NodeProcess(builder.start(), directory, Map.copyOf(env), terminal);
  }

  private static String shellQuoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * {@code target/it} of the launcher module (failsafe passes it; the working directory is the
   * module).
   */
  static Path itDirectory() {
    return Path.of(System.getProperty("luthien.it.dir", "target/it")).toAbsolutePath();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public long pid() {
    return process.pid();
  }

  public String env(String key) {
    return env.get(key);
  }

  public int gatewayPort() {
    return Integer.parseInt(env.get("GATEWAY_PORT"));
  }

  public int metricsPort() {
    return Integer.parseInt(env.get("METRICS_PORT"));
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPort();
  }

  /** {@code POST /v1/chat/completions} with one user message; the whole answer, streamed or not. */
  public HttpResponse<String> chat(String model, String text, boolean stream) {
    JsonObject body =
        new JsonObject()
            .put("model", model)
            .put("stream", stream)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
    return send(
        HttpRequest.newBuilder(URI.create(gatewayUrl() + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /**
   * A GET on any port of this node, e.g. its {@code /metrics}; throws the IOException of a refused
   * connection.
   */
  public HttpResponse<String> get(int port, String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The lines of the node's stdout that are JSON objects (its log lines in {@code
   * LOG_FORMAT=json}).
   */
  public List<JsonObject> jsonLogLines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : stdout().split("\n", -1)) {
      if (line.startsWith("{")) {
        try {
          lines.add(new JsonObject(line));
        } catch (DecodeException notJson) {
          // a line cut by the buffer while the node writes it; the next read sees it whole
        }
      }
    }
    return lines;
  }

  /** What the node printed so far, with the {@code \r\n} of a terminal turned into {@code \n}. */
  public String stdout() {
    return read(directory.resolve("stdout.log")).replace("\r\n", "\n");
  }

  /** {@code jcmd <pid> Thread.print}: the names and stacks of every thread of the node's JVM. */
  public String threadDump() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump =
          new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!dump.waitFor(30, TimeUnit.SECONDS) || dump.exitValue() != 0) {
        throw new AssertionError("jcmd " + pid() + " Thread.print failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + jcmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Stops the node the way an operator does (SIGTERM to its JVM, so its shutdown hook flushes
   * telemetry and says it stopped), then kills it.
   */
  @Override
  public void close() {
    jvm().ifPresent(ProcessHandle::destroy);
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The node's JVM: the process itself, or on a terminal the {@code java} that {@code script} runs.
   */
  private Optional<ProcessHandle> jvm() {
    if (!terminal) {
      return Optional.of(process.toHandle());
    }
    return process
        .descendants()
        .filter(
            child -> child.info().command().map(command -> command.endsWith("/java")).orElse(false))
        .findFirst();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(
          "gateway at " + gatewayUrl() + " did not answer: " + e + "\n" + tail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void awaitUp() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the node exited with " + process.exitValue() + "\n" + tail());
      }
      if (stdout().contains("node up")) {
        return;
      }
      LocalServices.sleep(200);
    }
    throw new AssertionError(
        "the node was not up within " + START_TIMEOUT.toSeconds() + " s\n" + tail());
  }

  /** The last lines of stdout and stderr, for failure messages. */
  public String tail() {
    return "stdout ("
        + directory.resolve("stdout.log")
        + "):\n"
        + lastLines(stdout())
        + "\nstderr:\n"
        + lastLines(read(directory.resolve("stderr.log")));
  }

  private static String lastLines(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
