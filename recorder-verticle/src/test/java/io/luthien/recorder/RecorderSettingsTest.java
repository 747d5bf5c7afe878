package io.luthien.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecorderSettingsTest {

  private static final JsonObject DATABASE = new JsonObject().put("DATABASE_URL", TestDatabase.URL);

  @Test
  @DisplayName("only DATABASE_URL is needed; without REDIS_URL the feed goes over the event bus")
  void defaults() {
    RecorderSettings settings = RecorderSettings.from(DATABASE);

    assertThat(settings.redisUrl()).isNull();
    assertThat(settings.batchSize()).isEqualTo(1_000);
    assertThat(settings.writers()).isEqualTo(2);
    assertThat(settings.flushMillis()).isEqualTo(50);
    assertThat(settings.bufferMax()).isEqualTo(50_000);
    assertThat(settings.retryMinMillis()).isEqualTo(100);
    assertThat(settings.retryMaxMillis()).isEqualTo(5_000);
    assertThat(settings.stopFlushMillis()).isEqualTo(5_000);
    assertThat(settings.bufferMaxBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(settings.batchMaxBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(settings.maxPayloadBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(settings.database().describe()).isEqualTo("postgres@127.0.0.1:5432/test");
  }

  @Test
  @DisplayName(
      "the recorder's pool has a connection for each writer on top of DATABASE_POOL_SIZE for its reads")
  void poolSize() {
    assertThat(RecorderVerticle.poolSize(RecorderSettings.from(DATABASE))).isEqualTo(2 + 4);
    assertThat(
            RecorderVerticle.poolSize(
                RecorderSettings.from(
                    DATABASE.copy().put("RECORDER_WRITERS", "3").put("DATABASE_POOL_SIZE", "2"))))
        .isEqualTo(5);
  }

  @Test
  @DisplayName("recorded calls are kept forever and no webhook is called unless configured")
  void retentionAndWebhookDefaults() {
    RecorderSettings settings = RecorderSettings.from(DATABASE);

    assertThat(settings.retention().enabled()).isFalse();
    assertThat(settings.retention().days()).isZero();
    assertThat(settings.retention().intervalMillis()).isEqualTo(3_600_000);
    assertThat(settings.retention().firstRunDelayMillis()).isEqualTo(30_000);
    assertThat(settings.retention().batchSize()).isEqualTo(1_000);
    assertThat(settings.webhook().enabled()).isFalse();
    assertThat(settings.webhook().secret()).isNull();
    assertThat(settings.webhook().queueSize()).isEqualTo(10_000);
    assertThat(settings.webhook().maxAttempts()).isEqualTo(3);
    assertThat(settings.webhook().retryMillis()).isEqualTo(1_000);
    assertThat(settings.webhook().timeoutMillis()).isEqualTo(10_000);
  }

  @Test
  @DisplayName(
      "retention and webhook variables are read, a bad one refused naming it, the secret never printed")
  void retentionAndWebhook() {
    RecorderSettings settings =
        RecorderSettings.from(
            DATABASE
                .copy()
                .put("CONVERSATION_RETENTION_DAYS", "30")
                .put("CONVERSATION_PURGE_INTERVAL_MS", "600000")
                .put("CONVERSATION_PURGE_BATCH_SIZE", "500")
                .put("WEBHOOK_URL", "https://hooks.example.com/luthien")
                .put("WEBHOOK_SECRET", "s3cret")
                .put("WEBHOOK_QUEUE_SIZE", "100")
                .put("WEBHOOK_MAX_ATTEMPTS", "5")
                .put("WEBHOOK_RETRY_MS", "200")
                .put("WEBHOOK_TIMEOUT_MS", "3000"));

    assertThat(settings.retention()).isEqualTo(new RecorderSettings.Retention(30, 600_000, 500));
    assertThat(settings.webhook())
        .isEqualTo(
            new RecorderSettings.Webhook(
                "https://hooks.example.com/luthien", "s3cret", 100, 5, 200, 3_000));
    assertThat(settings.toString()).doesNotContain("s3cret");
    assertThatThrownBy(
            () -> RecorderSettings.from(DATABASE.copy().put("CONVERSATION_RETENTION_DAYS", "-1")))
        .hasMessageContaining("CONVERSATION_RETENTION_DAYS");
    assertThatThrownBy(
            () -> RecorderSettings.from(DATABASE.copy().put("WEBHOOK_URL", "hooks.example.com")))
        .hasMessageContaining("WEBHOOK_URL");
    assertThatThrownBy(
            () -> RecorderSettings.from(DATABASE.copy().put("WEBHOOK_MAX_ATTEMPTS", "0")))
        .hasMessageContaining("WEBHOOK_MAX_ATTEMPTS");
  }

  @Test
  @DisplayName("environment values, strings as the launcher copies them, override the defaults")
  void overrides() {
    RecorderSettings settings =
        RecorderSettings.from(
            DATABASE
                .copy()
                .put("REDIS_URL", "redis://127.0.0.1:6379")
                .put("RECORDER_BATCH_SIZE", "50")
                .put("RECORDER_WRITERS", "3")
                .put("RECORDER_FLUSH_MS", "5")
                .put("RECORDER_BUFFER_MAX", "1000")
                .put("RECORDER_RETRY_MIN_MS", "10")
                .put("RECORDER_RETRY_MAX_MS", "20")
                .put("RECORDER_BUFFER_MAX_BYTES", "1000000")
                .put("RECORDER_BATCH_MAX_BYTES", "100000")
                .put("RECORDER_MAX_PAYLOAD_BYTES", "70000"));

    assertThat(settings.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(settings.batchSize()).isEqualTo(50);
    assertThat(settings.writers()).isEqualTo(3);
    assertThat(settings.flushMillis()).isEqualTo(5);
    assertThat(settings.bufferMax()).isEqualTo(1000);
    assertThat(settings.retryMinMillis()).isEqualTo(10);
    assertThat(settings.retryMaxMillis()).isEqualTo(20);
    assertThat(settings.bufferMaxBytes()).isEqualTo(1_000_000);
    assertThat(settings.batchMaxBytes()).isEqualTo(100_000);
    assertThat(settings.maxPayloadBytes()).isEqualTo(70_000);
  }

  @Test
  @DisplayName("a missing DATABASE_URL or a nonsensical value is refused at start, naming the key")
  void refusals() {
    assertThatThrownBy(() -> RecorderSettings.from(new JsonObject()))
        .hasMessageContaining("DATABASE_URL");
    assertThatThrownBy(() -> RecorderSettings.from(DATABASE.copy().put("RECORDER_BATCH_SIZE", "0")))
        .hasMessageContaining("RECORDER_BATCH_SIZE");
    assertThatThrownBy(() -> RecorderSettings.from(DATABASE.copy().put("RECORDER_WRITERS", "0")))
        .hasMessageContaining("RECORDER_WRITERS");
    assertThatThrownBy(
            () -> RecorderSettings.from(DATABASE.copy().put("RECORDER_BUFFER_MAX", "lots")))
        .hasMessageContaining("RECORDER_BUFFER_MAX");
    assertThatThrownBy(
            () ->
                RecorderSettings.from(
                    DATABASE
                        .copy()
                        .put("RECORDER_RETRY_MIN_MS", "500")
                        .put("RECORDER_RETRY_MAX_MS", "100")))
        .hasMessageContaining("RECORDER_RETRY_MAX_MS");
  }
}
