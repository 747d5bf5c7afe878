package io.luthien.debug;

import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A browser stand-in on {@code /activity/stream}: keeps every data event, the SSE id it came with
 * (in {@link #ids}, same order), and every comment line it receives.
 */
public final class SseListener implements AutoCloseable {

  final HttpClientResponse response;
  public final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final List<String> ids = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();
  private String lastId;

  private SseListener(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
    response.handler(
        chunk -> {
          synchronized (pending) {
            pending.append(chunk.toString());
            int end;
            while ((end = pending.indexOf("\n")) >= 0) {
              String line = pending.substring(0, end);
              pending.delete(0, end + 1);
              if (line.startsWith("id: ")) {
                lastId = line.substring(4);
              } else if (line.startsWith("data: ")) {
                ids.add(String.valueOf(lastId));
                events.add(new JsonObject(line.substring(6)));
              } else if (line.startsWith(":")) {
                comments.add(line);
              }
            }
          }
        });
  }

  public static SseListener open(Vertx vertx, int port, String uri, String adminKey) {
    return open(vertx, new RequestOptions().setPort(port).setURI(uri), adminKey);
  }

  /** Connects the way a browser reconnects: with the id of the last event it received. */
  static SseListener resume(
      Vertx vertx, int port, String uri, String adminKey, String lastEventId) {
    return open(
        vertx,
        new RequestOptions().setPort(port).setURI(uri).putHeader("Last-Event-ID", lastEventId),
        adminKey);
  }

  /**
   * The handler is set as the response arrives: the replay comes with the headers and would be lost
   * later.
   */
  private static SseListener open(Vertx vertx, RequestOptions request, String adminKey) {
    HttpClient client = vertx.createHttpClient();
    return RecordedCalls.await(
        client
            .request(
                request
                    .setMethod(HttpMethod.GET)
                    .setHost("127.0.0.1")
                    .putHeader("Authorization", "Bearer " + adminKey))
            .compose(sent -> sent.send())
            .map(response -> new SseListener(client, response)));
  }

  /** Waits until {@code count} events arrived; fails after a few seconds. */
  void awaitCount(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < count && System.nanoTime() < deadline) {
      LocalServices.sleep(20);
    }
    if (events.size() < count) {
      throw new AssertionError(
          "expected " + count + " events, got " + events.size() + ": " + events);
    }
  }

  /** Waits until an event matching {@code wanted} arrived; fails after a few seconds. */
  public JsonObject awaitEvent(Predicate<JsonObject> wanted) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (JsonObject event : events) {
        if (wanted.test(event)) {
          return event;
        }
      }
      LocalServices.sleep(20);
    }
    throw new AssertionError("no matching event arrived; got " + events);
  }

  @Override
  public void close() {
    RecordedCalls.await(client.close());
  }
}
