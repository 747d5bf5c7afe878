package io.luthien.gateway;

import io.luthien.gateway.auth.AuthMode;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;

/** The gateway's configuration, read once at start; every default lives here. */
public record GatewaySettings(
    String host,
    int port,
    String proxyApiKey,
    long maxBodyBytes,
    int maxJsonDepth,
    long policyTimeoutMillis,
    long upstreamTimeoutMillis,
    long upstreamConnectTimeoutMillis,
    int upstreamPoolSize,
    String routesPath,
    String openAiBaseUrl,
    String openAiApiKey,
    String openAiApi,
    String anthropicBaseUrl,
    String anthropicApiKey,
    boolean recording,
    long recorderHoldMaxMillis,
    int debugPort,
    long upstreamMaxEventBytes,
    long idleTimeoutMillis,
    long requestReadTimeoutMillis,
    int maxConnections,
    AuthMode authMode,
    int rateLimitRpm,
    int rateLimitBurst,
    String redisUrl,
    boolean trustUserIdHeader) {

  public GatewaySettings {
    if (!PROVIDER_API_CHAT.equals(openAiApi) && !PROVIDER_API_RESPONSES.equals(openAiApi)) {
      throw new IllegalArgumentException(
          "OPENAI_API is '" + openAiApi + "'; expected chat or responses");
    }
    if (authMode == AuthMode.BOTH && proxyApiKey == null) {
      throw new IllegalArgumentException(
          "AUTH_MODE=both needs PROXY_API_KEY: the key that uses the server's provider keys");
    }
    if (recorderHoldMaxMillis < 0) {
      throw new IllegalArgumentException(
          "RECORDER_HOLD_MAX_MS is " + recorderHoldMaxMillis + "; expected 0 (never hold) or more");
    }
    if (rateLimitRpm > 0 && rateLimitBurst < 1) {
      throw new IllegalArgumentException("RATE_LIMIT_BURST must be at least 1");
    }
  }

  /** Whether requests are rate limited ({@code RATE_LIMIT_RPM} set and positive). */
  public boolean rateLimited() {
    return rateLimitRpm > 0;
  }

  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
  public static final long DEFAULT_MAX_EVENT_BYTES = 8L * 1024 * 1024;

  /**
   * Deep enough for real tool schemas (Claude Code's stay under 40), far below Jackson's 1000 that
   * the recorder's wrapping of a request must stay under.
   */
  public static final int DEFAULT_MAX_JSON_DEPTH = 200;

  public static final long DEFAULT_REQUEST_READ_TIMEOUT_MILLIS = 30_000;

  /**
   * The longest a new call waits for a recorder that fell behind: long enough for one that is
   * draining (a few seconds at most), short enough that a stuck one is noticed.
   */
  public static final long DEFAULT_RECORDER_HOLD_MAX_MILLIS = 10_000;

  public static final int DEFAULT_MAX_CONNECTIONS = 4096;

  /** A provider's API ({@code OPENAI_API}, a routes file's {@code api}): chat completions. */
  public static final String PROVIDER_API_CHAT = "chat";

  /** A provider's API: OpenAI's Responses API ({@code POST {base}/responses}). */
  public static final String PROVIDER_API_RESPONSES = "responses";

  public static final String OPENAI_PUBLIC_BASE_URL = "https://api.openai.com/v1";
  public static final String ANTHROPIC_PUBLIC_BASE_URL = "https://api.anthropic.com";

  public static GatewaySettings from(JsonObject config) {
    Settings settings = new Settings(config);
    long policyTimeout = settings.longValue("POLICY_TIMEOUT_MS", 10_000);
    long upstreamTimeout = settings.longValue("UPSTREAM_TIMEOUT_MS", 120_000);
    int rateLimitRpm = settings.integer("RATE_LIMIT_RPM", 0);
    return new GatewaySettings(
        settings.string("HOST", "127.0.0.1"),
        settings.integer("GATEWAY_PORT", 8000),
        settings.string("PROXY_API_KEY", null),
        settings.longValue("MAX_REQUEST_BYTES", DEFAULT_MAX_BODY_BYTES),
        settings.integer("MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH),
        policyTimeout,
        upstreamTimeout,
        settings.longValue("UPSTREAM_CONNECT_TIMEOUT_MS", 10_000),
        settings.integer("UPSTREAM_POOL_SIZE", 256),
        settings.string("ROUTES_CONFIG", null),
        settings.string("OPENAI_BASE_URL", OPENAI_PUBLIC_BASE_URL),
        settings.string("OPENAI_API_KEY", null),
        settings.string("OPENAI_API", PROVIDER_API_CHAT),
        settings.string("ANTHROPIC_BASE_URL", ANTHROPIC_PUBLIC_BASE_URL),
        settings.string("ANTHROPIC_API_KEY", null),
        settings.bool("RECORDING_ENABLED", true),
        settings.longValue("RECORDER_HOLD_MAX_MS", DEFAULT_RECORDER_HOLD_MAX_MILLIS),
        settings.integer("DEBUG_PORT", 8001),
        settings.longValue("UPSTREAM_MAX_EVENT_BYTES", DEFAULT_MAX_EVENT_BYTES),
        settings.longValue(
            "GATEWAY_IDLE_TIMEOUT_MS", defaultIdleTimeout(upstreamTimeout, policyTimeout)),
        settings.longValue("GATEWAY_REQUEST_READ_TIMEOUT_MS", DEFAULT_REQUEST_READ_TIMEOUT_MILLIS),
        settings.integer("GATEWAY_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS),
        AuthMode.parse(settings.string("AUTH_MODE", AuthMode.CLIENT_KEY.configName())),
        rateLimitRpm,
        settings.integer("RATE_LIMIT_BURST", rateLimitRpm),
        settings.string("REDIS_URL", null),
        settings.bool("TRUST_USER_ID_HEADER", false));
  }

  /**
   * A connection with no byte read or written for this long is closed. While a whole answer is
   * awaited nothing moves for up to a policy and an upstream timeout, so the default outlasts both,
   * with a margin; a stream that keeps writing is never idle.
   */
  static long defaultIdleTimeout(long upstreamTimeoutMillis, long policyTimeoutMillis) {
    return Math.max(120_000, upstreamTimeoutMillis + 2 * policyTimeoutMillis + 10_000);
  }
}
