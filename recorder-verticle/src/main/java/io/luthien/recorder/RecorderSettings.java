package io.luthien.recorder;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;

/**
 * The recorder's configuration, read once at start; every default lives here.
 *
 * @param redisUrl where the activity feed is published; {@code null} publishes it on the event bus
 *     instead
 * @param batchSize events written in one transaction at most; a batch leaves as soon as this many
 *     wait
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
 */
public record RecorderSettings(
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

  public static final String REDIS_URL = "REDIS_URL";
  public static final String BATCH_SIZE = "RECORDER_BATCH_SIZE";
  public static final String FLUSH_MS = "RECORDER_FLUSH_MS";
  public static final String BUFFER_MAX = "RECORDER_BUFFER_MAX";
  public static final String RETRY_MIN_MS = "RECORDER_RETRY_MIN_MS";
  public static final String RETRY_MAX_MS = "RECORDER_RETRY_MAX_MS";
  public static final String STOP_FLUSH_MS = "RECORDER_STOP_FLUSH_MS";
  public static final String BUFFER_MAX_BYTES = "RECORDER_BUFFER_MAX_BYTES";
  public static final String BATCH_MAX_BYTES = "RECORDER_BATCH_MAX_BYTES";
  public static final String MAX_PAYLOAD_BYTES = "RECORDER_MAX_PAYLOAD_BYTES";

  static final long DEFAULT_BUFFER_MAX_BYTES = 256L << 20;
  static final long DEFAULT_BATCH_MAX_BYTES = 16L << 20;
  static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 << 20;

  public RecorderSettings {
    requireAtLeast(BATCH_SIZE, batchSize, 1);
    requireAtLeast(FLUSH_MS, flushMillis, 0);
    requireAtLeast(BUFFER_MAX, bufferMax, 1);
    requireAtLeast(RETRY_MIN_MS, retryMinMillis, 1);
    requireAtLeast(RETRY_MAX_MS, retryMaxMillis, retryMinMillis);
    requireAtLeast(STOP_FLUSH_MS, stopFlushMillis, 0);
    requireAtLeast(BUFFER_MAX_BYTES, bufferMaxBytes, 1);
    requireAtLeast(BATCH_MAX_BYTES, batchMaxBytes, 1);
    requireAtLeast(MAX_PAYLOAD_BYTES, maxPayloadBytes, PayloadText.PREVIEW_CHARS);
  }

  /** With the default byte bounds. */
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

  public static RecorderSettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new RecorderSettings(
        DatabaseSettings.from(settings),
        settings.string(REDIS_URL, null),
        settings.integer(BATCH_SIZE, 200),
        settings.longValue(FLUSH_MS, 50),
        settings.integer(BUFFER_MAX, 50_000),
        settings.longValue(RETRY_MIN_MS, 100),
        settings.longValue(RETRY_MAX_MS, 5_000),
        settings.longValue(STOP_FLUSH_MS, 5_000),
        settings.longValue(BUFFER_MAX_BYTES, DEFAULT_BUFFER_MAX_BYTES),
        settings.longValue(BATCH_MAX_BYTES, DEFAULT_BATCH_MAX_BYTES),
        settings.integer(MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES));
  }

  private static void requireAtLeast(String key, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(key + " must be at least " + minimum + ", got " + value);
    }
  }
}
