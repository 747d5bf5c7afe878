package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for a webhook receiver: it keeps every POST and answers each with
 * the next of its scripted statuses (200 once they run out), or never answers when told to hang.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One POST as it arrived. */
  record Post(JsonObject body, String rawBody, String signature, String callId) {}

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final Queue<Integer> statuses = new ArrayDeque<>();
  private final boolean hang;

  private WebhookReceiver(Vertx vertx, boolean hang, List<Integer> statuses) {
    this.hang = hang;
    this.statuses.addAll(statuses);
    server = vertx.createHttpServer().requestHandler(this::handle);
  }

  /** Answers with {@code statuses} in turn, then 200. */
  static WebhookReceiver answering(Vertx vertx, Integer... statuses) {
    return listening(new WebhookReceiver(vertx, false, List.of(statuses)));
  }

  /** Takes every POST and never answers. */
  static WebhookReceiver hanging(Vertx vertx) {
    return listening(new WebhookReceiver(vertx, true, List.of()));
  }

  private static WebhookReceiver listening(WebhookReceiver receiver) {
    await(receiver.server.listen(0, "127.0.0.1"));
    return receiver;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks/luthien";
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  List<Post> posts(String callId) {
    return posts.stream().filter(post -> callId.equals(post.callId())).toList();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onComplete(
            body -> {
              posts.add(
                  new Post(
                      body.toJsonObject(),
                      body.toString(),
                      request.getHeader("X-Luthien-Signature"),
                      request.getHeader("X-Call-ID")));
              if (!hang) {
                Integer status;
                synchronized (statuses) {
                  status = statuses.poll();
                }
                request.response().setStatusCode(status == null ? 200 : status).end();
              }
            },
            unread -> request.response().setStatusCode(400).end());
  }

  @Override
  public void close() {
    await(server.close());
  }
}
