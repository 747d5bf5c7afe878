package io.luthien.recorder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs completed calls to {@code WEBHOOK_URL}, {@link #MAX_IN_FLIGHT} at a time, from a queue of
 * at most {@code WEBHOOK_QUEUE_SIZE} calls. A POST that gets no answer (connection error, timeout),
 * a 5xx or a 429 is tried again after {@code WEBHOOK_RETRY_MS}, doubling, up to {@code
 * WEBHOOK_MAX_ATTEMPTS} tries in all; a call waiting for its retry keeps its place among those in
 * flight, so a receiver that is down fills the queue instead of memory. Any other status is final:
 * 2xx delivered, anything else rejected. What is not delivered is counted by {@link WebhookDrop}
 * and logged, at most one line per interval ({@link LossLog}). With {@code WEBHOOK_SECRET}, each
 * POST is signed: {@code X-Luthien-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 *
 * <p>Not thread-safe: every method runs on the recorder verticle's event loop.
 */
final class WebhookSender {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  /** POSTs under way (or waiting for their retry) at once, per recorder instance. */
  static final int MAX_IN_FLIGHT = 4;

  static final String SIGNATURE_HEADER = "X-Luthien-Signature";
  static final String CALL_ID_HEADER = "X-Call-ID";

  private record Delivery(String callId, Buffer body, String signature) {}

  private final Vertx vertx;
  private final RecorderSettings.Webhook settings;
  private final RecorderStats stats;
  private final HttpClient client;
  private final LossLog drops = new LossLog(log, "webhook POSTs of completed calls");
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private final Map<Long, Delivery> retrying = new HashMap<>();
  private int inFlight;
  private boolean stopped;

  WebhookSender(Vertx vertx, RecorderSettings.Webhook settings, RecorderStats stats) {
    this.vertx = vertx;
    this.settings = settings;
    this.stats = stats;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
  }

  /** Whether a call offered now would be dropped, so its row need not be read. */
  boolean full() {
    return queue.size() >= settings.queueSize();
  }

  /** Queues {@code body} for its POST, or drops it (counted, logged) when the queue is full. */
  void offer(String callId, JsonObject body) {
    if (stopped) {
      dropped(WebhookDrop.STOPPED, callId, "the recorder is stopping");
      return;
    }
    if (full()) {
      refused(callId);
      return;
    }
    Buffer bytes = body.toBuffer();
    queue.add(new Delivery(callId, bytes, signature(bytes)));
    pump();
  }

  /** A call dropped because the queue is full, its row not even read. */
  void refused(String callId) {
    dropped(
        WebhookDrop.QUEUE_FULL,
        callId,
        queue.size() + " calls wait for " + settings.url() + ", the queue's limit");
  }

  /** A call dropped because its row could not be read. */
  void unreadable(String callId, Throwable failure) {
    dropped(WebhookDrop.UNREADABLE, callId, "its row cannot be read: " + LossLog.describe(failure));
  }

  /**
   * Drops what waits (counted as stopped) and closes the client, which fails the POSTs under way.
   */
  Future<Void> stop() {
    stopped = true;
    int waiting = queue.size() + retrying.size();
    if (waiting > 0) {
      log.warn("recorder stopping with {} completed calls not posted to the webhook", waiting);
    }
    retrying.keySet().forEach(vertx::cancelTimer);
    retrying.values().forEach(delivery -> stats.webhookDropped(WebhookDrop.STOPPED));
    queue.forEach(delivery -> stats.webhookDropped(WebhookDrop.STOPPED));
    retrying.clear();
    queue.clear();
    queued();
    return client.close();
  }

  private void pump() {
    while (inFlight < MAX_IN_FLIGHT && !queue.isEmpty() && !stopped) {
      inFlight++;
      attempt(queue.poll(), 1, settings.retryMillis());
    }
    queued();
  }

  private void attempt(Delivery delivery, int attempt, long nextDelayMillis) {
    post(delivery)
        .onComplete(
            answered -> {
              int status = answered.succeeded() ? answered.result() : 0;
              if (status >= 200 && status < 300) {
                stats.callDelivered();
                drops.settled(stats.webhookDropped());
                finished();
                return;
              }
              if (stopped) {
                finished(delivery, WebhookDrop.STOPPED, "the recorder stopped");
                return;
              }
              String why =
                  answered.failed() ? LossLog.describe(answered.cause()) : "HTTP " + status;
              if (answered.succeeded() && status != 429 && status < 500) {
                finished(delivery, WebhookDrop.REJECTED, "the receiver answered " + why);
              } else if (attempt >= settings.maxAttempts()) {
                finished(
                    delivery,
                    WebhookDrop.RETRIES_EXHAUSTED,
                    attempt + " tries failed, the last with " + why);
              } else {
                long timer =
                    vertx.setTimer(
                        nextDelayMillis,
                        fired -> {
                          if (retrying.remove(fired) != null) {
                            attempt(delivery, attempt + 1, nextDelayMillis * 2);
                          }
                        });
                retrying.put(timer, delivery);
              }
            });
  }

  /** The receiver's status, its body read and discarded so the connection can be reused. */
  private Future<Integer> post(Delivery delivery) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(settings.url())
            .setConnectTimeout(settings.timeoutMillis())
            .setIdleTimeout(settings.timeoutMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader(CALL_ID_HEADER, delivery.callId());
    if (delivery.signature() != null) {
      options.putHeader(SIGNATURE_HEADER, delivery.signature());
    }
    return client
        .request(options)
        .compose(request -> request.send(delivery.body()))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }

  private void finished(Delivery delivery, WebhookDrop reason, String why) {
    dropped(reason, delivery.callId(), why);
    finished();
  }

  private void finished() {
    inFlight--;
    pump();
  }

  private void dropped(WebhookDrop reason, String callId, String why) {
    drops.lost(stats.webhookDropped(reason), callId, reason.reason() + ": " + why);
  }

  private void queued() {
    stats.webhookQueued(queue.size() + inFlight);
  }

  private String signature(Buffer body) {
    if (settings.secret() == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
