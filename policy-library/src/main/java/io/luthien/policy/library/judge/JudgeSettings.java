package io.luthien.policy.library.judge;

import io.luthien.policy.api.ModelClient;
import io.luthien.policy.api.PolicyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How a judge is asked: luthien-proxy's {@code model}, {@code temperature}, {@code max_tokens},
 * {@code max_retries} and {@code retry_delay} (seconds), plus {@code timeout} (seconds per
 * attempt), which luthien-proxy leaves to its HTTP client.
 *
 * @param model the model the gateway routes the judge's call to
 * @param options each attempt's timeout, the retries and the delay between them
 */
record JudgeSettings(
    String model, double temperature, long maxTokens, ModelClient.Options options) {

  static final String MODEL = "model";
  static final String TEMPERATURE = "temperature";
  static final String MAX_TOKENS = "max_tokens";
  static final String MAX_RETRIES = "max_retries";
  static final String RETRY_DELAY = "retry_delay";
  static final String TIMEOUT = "timeout";

  /**
   * luthien-proxy's keys for where the judge's credentials come from; here the gateway's routes
   * decide, so they are accepted and not used.
   */
  static final String API_BASE = "api_base";

  static final String INFERENCE_PROVIDER = "inference_provider";
  static final String AUTH_PROVIDER = "auth_provider";

  /** luthien-proxy's judge model. */
  static final String DEFAULT_MODEL = "claude-haiku-4-5";

  static final double DEFAULT_TIMEOUT_SECONDS = 30;

  /** Time for the hook beyond the judge's own budget: the verdict's handling, a busy loop. */
  private static final Duration HOOK_MARGIN = Duration.ofSeconds(2);

  /** The defaults of one judge, for the keys its config leaves out. */
  record Defaults(double temperature, long maxTokens, long maxRetries, double retryDelaySeconds) {}

  static JudgeSettings read(PolicyConfig config, Defaults defaults) {
    String model = config.string(MODEL, DEFAULT_MODEL);
    if (model.isBlank()) {
      throw config.refused(MODEL, "must name a model, got ''");
    }
    double temperature = config.number(TEMPERATURE, defaults.temperature(), 0, 2);
    long maxTokens = config.integer(MAX_TOKENS, defaults.maxTokens(), 1, 1_000_000);
    long maxRetries = config.integer(MAX_RETRIES, defaults.maxRetries(), 0, 10);
    double retryDelay = config.number(RETRY_DELAY, defaults.retryDelaySeconds(), 0, 30);
    double timeout = config.number(TIMEOUT, DEFAULT_TIMEOUT_SECONDS, 0.001, 600);
    ignoredProvider(config, API_BASE);
    ignoredProvider(config, INFERENCE_PROVIDER);
    ignoredProvider(config, AUTH_PROVIDER);
    return new JudgeSettings(
        model,
        temperature,
        maxTokens,
        new ModelClient.Options(seconds(timeout), (int) maxRetries, seconds(retryDelay)));
  }

  /** The judge request: luthien-proxy's messages, model, temperature and max_tokens. */
  JsonObject request(JsonArray messages) {
    return new JsonObject()
        .put("model", model)
        .put("messages", messages)
        .put("temperature", temperature)
        .put("max_tokens", maxTokens);
  }

  /** What the policy's hooks may take: the judge's whole budget and a margin. */
  Duration hookTimeout() {
    return options.budget().plus(HOOK_MARGIN);
  }

  private static void ignoredProvider(PolicyConfig config, String key) {
    Object value = config.json().getValue(key);
    if (value != null && !(value instanceof String) && !(value instanceof JsonObject)) {
      throw config.refused(key, "must be a string or a mapping (it is not used here)");
    }
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
  }
}
