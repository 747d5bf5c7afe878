package io.luthien.recorder;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The recorder's configuration, read once at start; every default lives here.
 *
 * @param redisUrl where the activity feed is published; {@code null} publishes it on the event bus
 *     instead
 * @param batchSize events written in one transaction at most; a batch leaves as soon as this many
 *     wait
 * @param writers batches in flight at once at most, each on a connection of its own ({@link
 *     BatchWriter}); 1 writes one batch at a time
 * @param flushMillis how long the first waiting event waits for a batch to fill
 * @param bufferMax events held in memory at most while PostgreSQL is slow or down; newer ones are
 *     dropped
 * @param retryMinMillis first delay before a failed batch is tried again, doubled after each
 *     failure
 * @param retryMaxMillis longest delay between two tries
 * @param stopFlushMillis how long {@code stop()} keeps trying to write what is still buffered
 * @param bufferMaxBytes payload bytes held in memory at most (with {@code bufferMax}); newer events
 *     are dropped
 * @param batchMaxBytes payload bytes in one transaction at most; a larger event goes alone
 * @param maxPayloadBytes the largest payload stored whole; a larger one is stored as a truncation
 *     marker with its size and a preview ({@link PayloadText})
 * @param retention how long recorded calls are kept ({@link RetentionPurge})
 * @param webhook where completed calls are posted ({@link WebhookSender})
 */
public record RecorderSettings(
    DatabaseSettings database,
    String redisUrl,
    int batchSize,
    int writers,
    long flushMillis,
    int bufferMax,
    long retryMinMillis,
    long retryMaxMillis,
    long stopFlushMillis,
    long bufferMaxBytes,
    long batchMaxBytes,
    int maxPayloadBytes,
    Retention retention,
    Webhook webhook) {

  public static final String REDIS_URL = "REDIS_URL";
  public static final String BATCH_SIZE = "RECORDER_BATCH_SIZE";
  public static final String WRITERS = "RECORDER_WRITERS";
  public static final String FLUSH_MS = "RECORDER_FLUSH_MS";
  public static final String BUFFER_MAX = "RECORDER_BUFFER_MAX";
  public static final String RETRY_MIN_MS = "RECORDER_RETRY_MIN_MS";
  public static final String RETRY_MAX_MS = "RECORDER_RETRY_MAX_MS";
  public static final String STOP_FLUSH_MS = "RECORDER_STOP_FLUSH_MS";
  public static final String BUFFER_MAX_BYTES = "RECORDER_BUFFER_MAX_BYTES";
  public static final String BATCH_MAX_BYTES = "RECORDER_BATCH_MAX_BYTES";
  public static final String MAX_PAYLOAD_BYTES = "RECORDER_MAX_PAYLOAD_BYTES";
  public static final String RETENTION_DAYS = "CONVERSATION_RETENTION_DAYS";
  public static final String PURGE_INTERVAL_MS = "CONVERSATION_PURGE_INTERVAL_MS";
  public static final String PURGE_BATCH_SIZE = "CONVERSATION_PURGE_BATCH_SIZE";
  public static final String WEBHOOK_URL = "WEBHOOK_URL";
  public static final String WEBHOOK_SECRET = "WEBHOOK_SECRET";
  public static final String WEBHOOK_QUEUE_SIZE = "WEBHOOK_QUEUE_SIZE";
  public static final String WEBHOOK_MAX_ATTEMPTS = "WEBHOOK_MAX_ATTEMPTS";
  public static final String WEBHOOK_RETRY_MS = "WEBHOOK_RETRY_MS";
  public static final String WEBHOOK_TIMEOUT_MS = "WEBHOOK_TIMEOUT_MS";

  static final int DEFAULT_BATCH_SIZE = 1_000;
  static final int DEFAULT_WRITERS = 2;
  static final long DEFAULT_BUFFER_MAX_BYTES = 256L << 20;
  static final long DEFAULT_BATCH_MAX_BYTES = 16L << 20;
  static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 << 20;

  public RecorderSettings {
    requireAtLeast(BATCH_SIZE, batchSize, 1);
    requireAtLeast(WRITERS, writers, 1);
    requireAtLeast(FLUSH_MS, flushMillis, 0);
    requireAtLeast(BUFFER_MAX, bufferMax, 1);
    requireAtLeast(RETRY_MIN_MS, retryMinMillis, 1);
    requireAtLeast(RETRY_MAX_MS, retryMaxMillis, retryMinMillis);
    requireAtLeast(STOP_FLUSH_MS, stopFlushMillis, 0);
    requireAtLeast(BUFFER_MAX_BYTES, bufferMaxBytes, 1);
    requireAtLeast(BATCH_MAX_BYTES, batchMaxBytes, 1);
    requireAtLeast(MAX_PAYLOAD_BYTES, maxPayloadBytes, PayloadText.PREVIEW_CHARS);
    requireNonNull(retention, "retention");
    requireNonNull(webhook, "webhook");
  }

  /**
   * The purge of old recordings.
   *
   * @param days calls created longer ago than this many days are deleted; {@code 0} keeps them
   *     forever (no purge runs)
   * @param intervalMillis time between two purge rounds; the first runs {@link
   *     #firstRunDelayMillis} after start
   * @param batchSize calls selected per {@code DELETE} (their model calls go with them)
   */
  public record Retention(int days, long intervalMillis, int batchSize) {

    /** Keeps everything. */
    public static final Retention FOREVER = new Retention(0, 3_600_000, 1_000);

    public Retention {
      requireAtLeast(RETENTION_DAYS, days, 0);
      requireAtLeast(PURGE_INTERVAL_MS, intervalMillis, 1);
      requireAtLeast(PURGE_BATCH_SIZE, batchSize, 1);
    }

    public boolean enabled() {
      return days > 0;
    }

    /** Soon after start, not at once (the node is busy starting), never later than a round. */
    public long firstRunDelayMillis() {
      return Math.min(intervalMillis, 30_000);
    }
  }

  /**
   * The webhook of completed calls.
   *
   * @param url where each completed call is POSTed; {@code null} turns the webhook off
   * @param secret key of the {@code X-Luthien-Signature} HMAC; {@code null} sends no signature
   * @param queueSize calls waiting for their POST at most; beyond, new ones are dropped
   * @param maxAttempts tries per call (the first included) on a connection error, 5xx or 429
   * @param retryMillis delay before the second try, doubled before each next one
   * @param timeoutMillis connect and response timeout of one POST
   */
  public record Webhook(
      String url,
      String secret,
      int queueSize,
      int maxAttempts,
      long retryMillis,
      long timeoutMillis) {

    /** No webhook. */
    public static final Webhook OFF = new Webhook(null, null, 10_000, 3, 1_000, 10_000);

    public Webhook {
      if (url != null) {
        requireHttpUrl(url);
      }
      requireAtLeast(WEBHOOK_QUEUE_SIZE, queueSize, 1);
      requireAtLeast(WEBHOOK_MAX_ATTEMPTS, maxAttempts, 1);
      requireAtLeast(WEBHOOK_RETRY_MS, retryMillis, 1);
      requireAtLeast(WEBHOOK_TIMEOUT_MS, timeoutMillis, 1);
    }

    public boolean enabled() {
      return url != null;
    }

    @Override
    public String toString() {
      return "Webhook[" + url + (secret == null ? "" : ", signed") + "]";
    }

    private static void requireHttpUrl(String url) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(WEBHOOK_URL + " is not a URL: " + e.getMessage());
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            WEBHOOK_URL + " must be an http:// or https:// URL, got '" + url + "'");
      }
    }
  }

  /** One batch in flight at a time, with the default byte bounds. */
  public RecorderSettings(
      DatabaseSettings database,
      String redisUrl,
      int batchSize,
      long flushMillis,
      int bufferMax,
      long retryMinMillis,
      long retryMaxMillis,
      long stopFlushMillis) {
    this(
        database,
        redisUrl,
        batchSize,
        flushMillis,
        bufferMax,
        retryMinMillis,
        retryMaxMillis,
        stopFlushMillis,
        DEFAULT_BUFFER_MAX_BYTES,
        DEFAULT_BATCH_MAX_BYTES,
        DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** One batch in flight at a time, keeping everything, without a webhook. */
  public RecorderSettings(
      DatabaseSettings database,
      String redisUrl,
      int batchSize,
      long flushMillis,
      int bufferMax,
      long retryMinMillis,
      long retryMaxMillis,
      long stopFlushMillis,
      long bufferMaxBytes,
      long batchMaxBytes,
      int maxPayloadBytes) {
    this(
        database,
        redisUrl,
        batchSize,
        1,
        flushMillis,
        bufferMax,
        retryMinMillis,
        retryMaxMillis,
        stopFlushMillis,
        bufferMaxBytes,
        batchMaxBytes,
        maxPayloadBytes,
        Retention.FOREVER,
        Webhook.OFF);
  }

  public static RecorderSettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new RecorderSettings(
        DatabaseSettings.from(settings),
        settings.string(REDIS_URL, null),
        settings.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE),
        settings.integer(WRITERS, DEFAULT_WRITERS),
        settings.longValue(FLUSH_MS, 50),
        settings.integer(BUFFER_MAX, 50_000),
        settings.longValue(RETRY_MIN_MS, 100),
        settings.longValue(RETRY_MAX_MS, 5_000),
        settings.longValue(STOP_FLUSH_MS, 5_000),
        settings.longValue(BUFFER_MAX_BYTES, DEFAULT_BUFFER_MAX_BYTES),
        settings.longValue(BATCH_MAX_BYTES, DEFAULT_BATCH_MAX_BYTES),
        settings.integer(MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES),
        new Retention(
            settings.integer(RETENTION_DAYS, Retention.FOREVER.days()),
            settings.longValue(PURGE_INTERVAL_MS, Retention.FOREVER.intervalMillis()),
            settings.integer(PURGE_BATCH_SIZE, Retention.FOREVER.batchSize())),
        new Webhook(
            settings.string(WEBHOOK_URL, null),
            settings.string(WEBHOOK_SECRET, null),
            settings.integer(WEBHOOK_QUEUE_SIZE, Webhook.OFF.queueSize()),
            settings.integer(WEBHOOK_MAX_ATTEMPTS, Webhook.OFF.maxAttempts()),
            settings.longValue(WEBHOOK_RETRY_MS, Webhook.OFF.retryMillis()),
            settings.longValue(WEBHOOK_TIMEOUT_MS, Webhook.OFF.timeoutMillis())));
  }

  private static void requireNonNull(Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " settings missing");
    }
  }

  private static void requireAtLeast(String key, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(key + " must be at least " + minimum + ", got " + value);
    }
  }
}
