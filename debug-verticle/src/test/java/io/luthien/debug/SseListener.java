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

/** A browser stand-in on {@code /activity/stream}: keeps every data event and comment line it receives. */
public final class SseListener implements AutoCloseable {

  final HttpClientResponse response;
  public final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();

  private SseListener(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
    response.handler(chunk -> {
      synchronized (pending) {
        pending.append(chunk.toString());
        int end;
        while ((end = pending.indexOf("\n")) >= 0) {
          String line = pending.substring(0, end);
          pending.delete(0, end + 1);
          if (line.startsWith("data: ")) {
            events.add(new JsonObject(line.substring(6)));
          } else if (line.startsWith(":")) {
            comments.add(line);
          }
        }
      }
    });
  }

  public static SseListener open(Vertx vertx, int port, String uri, String adminKey) {
    HttpClient client = vertx.createHttpClient();
    HttpClientResponse response = RecordedCalls.await(client.request(new RequestOptions()
            .setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri)
            .putHeader("Authorization", "Bearer " + adminKey))
        .compose(request -> request.send()));
    return new SseListener(client, response);
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
