package io.luthien.debug;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debian Chromium at {@code /usr/bin/chromium}, headless, driven through one page over the
 * Chrome DevTools Protocol on a Vert.x WebSocket. Every method blocks the calling (test) thread;
 * never call one on an event loop. JavaScript exceptions, {@code console.error}/{@code
 * console.assert} output and dialogs ({@code alert}) of the page are collected as {@link
 * #problems()}, so a test can fail on them.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HeadlessChromium.class);
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** What DevTools answers when asked to continue a request the browser has already dropped. */
  private static final String REQUEST_GONE = "Invalid InterceptionId";

  private final Process process;
  private final Path workDir;
  private final HttpClient http;
  private final WebSocketClient webSockets;
  private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicReference<Promise<Void>> nextLoad = new AtomicReference<>();
  private final AtomicInteger documentStatus = new AtomicInteger();
  private WebSocket socket;

  private HeadlessChromium(Vertx vertx, Process process, Path workDir) {
    this.process = process;
    this.workDir = workDir;
    this.http = vertx.createHttpClient();
    this.webSockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(64 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024));
  }

  /**
   * Starts Chromium on a fresh profile and attaches to its blank page, with network, page and
   * console events on.
   */
  static HeadlessChromium launch(Vertx vertx) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "the browser tests need Debian's Chromium at "
              + BINARY
              + " (apt-get install chromium); it is not there or not executable");
    }
    Path workDir;
    Process process;
    try {
      workDir = Files.createTempDirectory("luthien-chromium");
      Path profile = Files.createDirectory(workDir.resolve("profile"));
      process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--remote-debugging-port=0",
                  "--user-data-dir=" + profile,
                  "about:blank")
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("chromium.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + BINARY, e);
    }
    HeadlessChromium browser = new HeadlessChromium(vertx, process, workDir);
    try {
      browser.attach(browser.awaitDevToolsPort());
      return browser;
    } catch (RuntimeException | Error startFailure) {
      browser.close();
      throw startFailure;
    }
  }

  private int awaitDevToolsPort() {
    Path portFile = workDir.resolve("profile").resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Chromium exited with "
                + process.exitValue()
                + " before opening DevTools:\n"
                + logTail());
      }
      try {
        List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      } catch (IOException | NumberFormatException halfWritten) {
        // read it again on the next turn
      }
      sleep(50);
    }
    throw new IllegalStateException(
        "Chromium wrote no DevToolsActivePort within " + STARTUP + ":\n" + logTail());
  }

  private void attach(int devToolsPort) {
    JsonArray targets =
        await(httpJson(HttpMethod.GET, devToolsPort, "/json/list")).getJsonArray("targets");
    JsonObject page =
        targets.stream()
            .map(JsonObject.class::cast)
            .filter(target -> "page".equals(target.getString("type")))
            .findFirst()
            .orElseGet(
                () -> await(httpJson(HttpMethod.PUT, devToolsPort, "/json/new?about:blank")));
    URI target = URI.create(page.getString("webSocketDebuggerUrl"));
    socket =
        await(
            webSockets.connect(
                new WebSocketConnectOptions()
                    .setHost(target.getHost())
                    .setPort(target.getPort())
                    .setURI(target.getPath())
                    // DevTools refuses WebSocket handshakes that carry an Origin it was not told to
                    // allow.
                    .setAllowOriginHeader(false)));
    socket.textMessageHandler(this::onMessage);
    socket.exceptionHandler(failure -> log.warn("DevTools socket failed", failure));
    call("Runtime.enable", new JsonObject());
    call("Page.enable", new JsonObject());
    call("Network.enable", new JsonObject());
    call("Network.setCacheDisabled", new JsonObject().put("cacheDisabled", true));
    // Headless Chromium has no one to show a Basic sign-in prompt to: a 401 challenge to fetch() or
    // EventSource
    // would hang forever. Intercepting requests lets the browser answer every challenge like a user
    // who dismisses
    // the prompt, so the page sees the 401.
    call(
        "Fetch.enable",
        new JsonObject()
            .put("handleAuthRequests", true)
            .put("patterns", new JsonArray().add(new JsonObject().put("urlPattern", "*"))));
  }

  /** GET /json/list answers an array, PUT /json/new an object; both come back as an object here. */
  private Future<JsonObject> httpJson(HttpMethod method, int port, String uri) {
    return http.request(method, port, "127.0.0.1", uri)
        .compose(request -> request.send())
        .compose(HttpClientResponse::body)
        .map(
            body -> {
              String text = body.toString().trim();
              try {
                return text.startsWith("[")
                    ? new JsonObject().put("targets", new JsonArray(text))
                    : new JsonObject(text);
              } catch (RuntimeException notJson) {
                throw new IllegalStateException(
                    "DevTools answered " + method + " " + uri + " with: " + text, notJson);
              }
            });
  }

  private void onMessage(String text) {
    JsonObject message = new JsonObject(text);
    Integer id = message.getInteger("id");
    if (id != null) {
      Promise<JsonObject> reply = pending.remove(id);
      if (reply == null) {
        return;
      }
      JsonObject error = message.getJsonObject("error");
      if (error != null) {
        reply.fail(new IllegalStateException("DevTools error " + error.encode()));
      } else {
        reply.complete(message.getJsonObject("result", new JsonObject()));
      }
      return;
    }
    onEvent(message.getString("method"), message.getJsonObject("params", new JsonObject()));
  }

  private void onEvent(String method, JsonObject params) {
    switch (method) {
      case "Runtime.exceptionThrown" -> {
        JsonObject details = params.getJsonObject("exceptionDetails", new JsonObject());
        JsonObject exception = details.getJsonObject("exception", new JsonObject());
        problems.add(
            "uncaught "
                + exception.getString("description", details.getString("text"))
                + " at "
                + details.getString("url", "?")
                + ":"
                + details.getInteger("lineNumber", -1));
      }
      case "Runtime.consoleAPICalled" -> {
        String type = params.getString("type");
        if ("error".equals(type) || "assert".equals(type)) {
          problems.add(
              "console." + type + ": " + consoleText(params.getJsonArray("args", new JsonArray())));
        }
      }
      case "Page.javascriptDialogOpening" -> {
        problems.add(
            "a " + params.getString("type") + " dialog opened: " + params.getString("message"));
        command("Page.handleJavaScriptDialog", new JsonObject().put("accept", false));
      }
      case "Fetch.requestPaused" ->
          command(
              "Fetch.continueRequest",
              new JsonObject().put("requestId", params.getString("requestId")),
              params.getJsonObject("request", new JsonObject()).getString("url"));
      case "Fetch.authRequired" ->
          command(
              "Fetch.continueWithAuth",
              new JsonObject()
                  .put("requestId", params.getString("requestId"))
                  .put("authChallengeResponse", new JsonObject().put("response", "CancelAuth")));
      case "Network.responseReceived" -> {
        if ("Document".equals(params.getString("type"))) {
          documentStatus.set(params.getJsonObject("response").getInteger("status"));
        }
      }
      case "Page.loadEventFired" -> {
        Promise<Void> waiting = nextLoad.getAndSet(null);
        if (waiting != null) {
          waiting.complete();
        }
      }
      default -> {}
    }
  }

  private static String consoleText(JsonArray args) {
    List<String> parts = new ArrayList<>();
    for (Object arg : args) {
      JsonObject value = (JsonObject) arg;
      parts.add(
          String.valueOf(
              value.getValue("value", value.getString("description", value.getString("type")))));
    }
    return String.join(" ", parts);
  }

  /** Sends one DevTools command and blocks for its result. */
  JsonObject call(String method, JsonObject params) {
    return await(send(method, params));
  }

  /**
   * A command sent from an event handler, which cannot wait for its reply: a failure is one more
   * problem.
   */
  private void command(String method, JsonObject params) {
    command(method, params, null);
  }

  private void command(String method, JsonObject params, String url) {
    send(method, params)
        .onFailure(
            failure -> {
              if (failure.getMessage().contains(REQUEST_GONE)) {
                // the page was left (the test navigated on) while one of its requests waited here
                return;
              }
              problems.add(
                  method + (url == null ? "" : " of " + url) + " failed: " + failure.getMessage());
            });
  }

  private Future<JsonObject> send(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    Promise<JsonObject> reply = Promise.promise();
    pending.put(id, reply);
    socket
        .writeTextMessage(
            new JsonObject().put("id", id).put("method", method).put("params", params).encode())
        .onFailure(
            failure -> {
              pending.remove(id);
              reply.tryFail(failure);
            });
    return reply.future();
  }

  /**
   * Every request of the page from now on carries these headers: navigations, fetch and EventSource
   * alike.
   */
  void useHeaders(Map<String, String> headers) {
    call(
        "Network.setExtraHTTPHeaders",
        new JsonObject().put("headers", new JsonObject(Map.copyOf(headers))));
  }

  /**
   * Opens {@code url}, waits for its load event and answers the HTTP status of the document. A 401
   * with a Basic challenge comes back as 401 too, though headless Chromium, having no one to ask
   * for a password, shows its own error page instead of the response body.
   */
  int navigate(String url) {
    Promise<Void> loaded = Promise.promise();
    nextLoad.set(loaded);
    documentStatus.set(0);
    JsonObject result = call("Page.navigate", new JsonObject().put("url", url));
    await(loaded.future());
    if (result.getString("errorText") != null && documentStatus.get() == 0) {
      throw new AssertionError(
          "navigation to " + url + " failed: " + result.getString("errorText"));
    }
    return documentStatus.get();
  }

  /**
   * The value of a JavaScript expression in the page; a promise is awaited. Throws if the
   * expression throws.
   */
  Object evaluate(String expression) {
    JsonObject result =
        call(
            "Runtime.evaluate",
            new JsonObject()
                .put("expression", expression)
                .put("awaitPromise", true)
                .put("returnByValue", true));
    JsonObject exception = result.getJsonObject("exceptionDetails");
    if (exception != null) {
      throw new AssertionError(
          "evaluating `"
              + expression
              + "` threw "
              + exception
                  .getJsonObject("exception", new JsonObject())
                  .getString("description", exception.getString("text")));
    }
    return result.getJsonObject("result", new JsonObject()).getValue("value");
  }

  String text(String expression) {
    return String.valueOf(evaluate(expression));
  }

  /** Polls {@code expression} until it is truthy; on timeout fails with what the page shows. */
  void waitFor(String expression, Duration timeout) {
    String guarded =
        "(() => { try { return !!(" + expression + "); } catch (notYet) { return false; } })()";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (Boolean.TRUE.equals(evaluate(guarded))) {
          return;
        }
      } catch (IllegalStateException | AssertionError contextGoneDuringNavigation) {
        // the next poll runs in the new document
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited "
                + timeout.toMillis()
                + " ms for `"
                + expression
                + "`; the page shows:\n"
                + pageText()
                + (problems.isEmpty() ? "" : "\npage problems: " + problems));
      }
      sleep(40);
    }
  }

  void waitFor(String expression) {
    waitFor(expression, Duration.ofSeconds(8));
  }

  private String pageText() {
    try {
      String text = text("document.body ? document.body.innerText : '(no body)'");
      return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
    } catch (RuntimeException | AssertionError unreadable) {
      return "(unreadable: " + unreadable.getMessage() + ")";
    }
  }

  /** Page errors, console errors and dialogs seen so far. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  void forgetProblems() {
    problems.clear();
  }

  private <T> T await(Future<T> future) {
    try {
      return future.await(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Chromium did not answer within " + CALL_TIMEOUT, e);
    }
  }

  private String logTail() {
    try {
      List<String> lines =
          Files.readAllLines(workDir.resolve("chromium.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Kills Chromium and every process it started (renderers, zygotes, GPU), then removes the
   * profile.
   */
  @Override
  public void close() {
    if (socket != null) {
      socket.close().onFailure(failure -> log.warn("closing the DevTools socket failed", failure));
    }
    webSockets
        .close()
        .onFailure(failure -> log.warn("closing the WebSocket client failed", failure));
    http.close().onFailure(failure -> log.warn("closing the HTTP client failed", failure));
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    family.add(process.toHandle());
    family.forEach(ProcessHandle::destroy);
    for (ProcessHandle member : family) {
      try {
        member.onExit().get(3, TimeUnit.SECONDS);
      } catch (Exception stillRunning) {
        member.destroyForcibly();
      }
    }
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException | java.io.UncheckedIOException racingWithExit) {
        sleep(100);
      }
    }
    if (Files.exists(dir)) {
      log.warn("could not delete Chromium's profile {}", dir);
    }
  }
}
