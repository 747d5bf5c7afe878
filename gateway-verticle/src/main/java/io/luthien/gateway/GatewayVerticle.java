package io.luthien.gateway;

import io.luthien.gateway.api.AdminApiBridge;
import io.luthien.gateway.api.AnthropicClientApi;
import io.luthien.gateway.api.CallIds;
import io.luthien.gateway.api.CallOwners;
import io.luthien.gateway.api.CompletionHandler;
import io.luthien.gateway.api.ConnectionGuard;
import io.luthien.gateway.api.CountTokensHandler;
import io.luthien.gateway.api.FormBodies;
import io.luthien.gateway.api.ForwardedAnthropicHandler;
import io.luthien.gateway.api.GatewayIndex;
import io.luthien.gateway.api.JsonRequestBody;
import io.luthien.gateway.api.ModelCallHandler;
import io.luthien.gateway.api.ModelsHandler;
import io.luthien.gateway.api.OpenAiClientApi;
import io.luthien.gateway.api.ResponsesClientApi;
import io.luthien.gateway.api.ResponsesHandler;
import io.luthien.gateway.api.StoredResponsesHandler;
import io.luthien.gateway.auth.ClientAuth;
import io.luthien.gateway.error.FailureResponder;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.ratelimit.LocalRateLimiter;
import io.luthien.gateway.ratelimit.RateLimitHandler;
import io.luthien.gateway.ratelimit.RateLimiter;
import io.luthien.gateway.ratelimit.RedisRateLimiter;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.recording.RecorderBackpressure;
import io.luthien.gateway.telemetry.GatewayMetrics;
import io.luthien.gateway.telemetry.RequestTelemetry;
import io.luthien.gateway.trial.PolicyTrialHandler;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.Addresses;
import io.luthien.shared.Settings;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface of the gateway: OpenAI-compatible endpoints in front of the policy and the
 * providers.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final String VERSION = "0.1.0";
  private static final String HEALTH = "/health";
  private static final String API = "/v1/*";
  private static final String ADMIN_API = "/api/*";
  private static final String MODELS = "/v1/models";
  private static final String CHAT_COMPLETIONS = "/v1/chat/completions";

  private final OpenTelemetry telemetry;
  private GatewaySettings settings;
  private GatewayMetrics metrics;
  private RequestTelemetry requests;
  private Upstreams upstreams;
  private RateLimiter rateLimiter;
  private HttpServer server;

  /** Before a recorded call's handler: waits for recorders that fell behind, or passes. */
  private Handler<RoutingContext> hold;

  /**
   * Without telemetry (tests, or {@code OTEL_ENABLED=false}): no spans, no metrics, next to no
   * cost.
   */
  public GatewayVerticle() {
    this(OpenTelemetry.noop());
  }

  public GatewayVerticle(OpenTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public Future<?> start() {
    settings = GatewaySettings.from(config());
    metrics = new GatewayMetrics(telemetry.getMeter(TelemetryNames.SCOPE_GATEWAY));
    requests = new RequestTelemetry(metrics);
    // The gateway makes the upstream call's span itself (llm.completion) and sends only its
    // traceparent: Vert.x's
    // client span would also send the baggage, and with it the call id, to the provider.
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setTcpNoDelay(true)
                .setKeepAlive(true)
                .setConnectTimeout((int) settings.upstreamConnectTimeoutMillis())
                .setTracingPolicy(TracingPolicy.IGNORE),
            new PoolOptions().setHttp1MaxSize(settings.upstreamPoolSize()));
    return Upstreams.load(vertx, settings, client, new Settings(config()))
        .compose(
            loaded -> {
              upstreams = loaded;
              return recorderHold();
            })
        .compose(
            listening -> {
              ConnectionGuard guard =
                  new ConnectionGuard(
                      vertx, settings.maxConnections(), settings.requestReadTimeoutMillis());
              return vertx
                  .createHttpServer(
                      new HttpServerOptions()
                          .setTcpNoDelay(true)
                          // HTTP/1.1 only: detecting h2c would hold a new connection back from
                          // the connection handler until its first bytes arrive
                          .setHttp2ClearTextEnabled(false)
                          .setIdleTimeout((int) settings.idleTimeoutMillis())
                          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                  .connectionHandler(guard::connected)
                  .requestHandler(guard.guard(router()))
                  .listen(settings.port(), settings.host());
            })
        .onSuccess(
            listening -> {
              server = listening;
              log.debug("gateway listening on {}:{}", settings.host(), listening.actualPort());
            });
  }

  /**
   * With recording on, new calls wait for a recorder that fell behind ({@code
   * RECORDER_HOLD_MAX_MS}, 0: never).
   */
  private Future<Void> recorderHold() {
    if (!settings.recording() || settings.recorderHoldMaxMillis() == 0) {
      hold = RoutingContext::next;
      return Future.succeededFuture();
    }
    RecorderBackpressure backpressure =
        new RecorderBackpressure(vertx, metrics, settings.recorderHoldMaxMillis());
    hold = backpressure;
    return backpressure.start();
  }

  @Override
  public Future<?> stop() {
    return rateLimiter == null ? Future.succeededFuture() : rateLimiter.close();
  }

  /** The port the server really listens on (useful with {@code GATEWAY_PORT=0}). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    CallRecorder recorder = new CallRecorder(vertx.eventBus(), settings.recording());
    CallOwners owners = new CallOwners(settings.trustUserIdHeader());
    FailureResponder failures =
        new FailureResponder(settings.maxBodyBytes(), recorder, metrics, owners);
    Router router = Router.router(vertx);
    router.route().handler(CallIds::assign).handler(requests);
    route(router, HttpMethod.GET, HEALTH).handler(this::health);
    route(router, HttpMethod.GET, "/").handler(new GatewayIndex(settings.debugPort()));
    // not named after /v1/*: a request that matches no endpoint keeps just its method in traces
    router.route(API).handler(new ClientAuth(settings.authMode(), settings.proxyApiKey()));
    if (settings.rateLimited()) {
      rateLimiter = rateLimiter();
      router.route(API).handler(new RateLimitHandler(rateLimiter));
    }
    route(router, HttpMethod.GET, MODELS).handler(new ModelsHandler(upstreams));
    PolicyClient policy = new PolicyClient(vertx.eventBus(), settings.policyTimeoutMillis());
    UpstreamCalls calls =
        new UpstreamCalls(
            telemetry.getTracer(TelemetryNames.SCOPE_GATEWAY),
            metrics.labellingModels(upstreams.routes()));
    JsonRequestBody body = new JsonRequestBody(settings.maxJsonDepth());
    // both unregistered with the verticle
    vertx
        .eventBus()
        .consumer(Addresses.MODEL_CALL, new ModelCallHandler(vertx, upstreams, calls, recorder));
    vertx
        .eventBus()
        .consumer(Addresses.POLICY_TRIAL, new PolicyTrialHandler(vertx, policy, upstreams, calls));
    Map.of(
            CHAT_COMPLETIONS,
            OpenAiClientApi.INSTANCE,
            AnthropicClientApi.PATH,
            AnthropicClientApi.INSTANCE)
        .forEach(
            (path, api) ->
                route(router, HttpMethod.POST, path)
                    .handler(FormBodies.REFUSED)
                    .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                    .handler(hold)
                    .handler(
                        new CompletionHandler(
                            api, body, policy, upstreams, calls, recorder, owners)));
    route(router, HttpMethod.POST, ResponsesClientApi.PATH)
        .handler(FormBodies.REFUSED)
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(hold)
        .handler(new ResponsesHandler(vertx, body, policy, upstreams, calls, recorder, owners));
    StoredResponsesHandler stored = new StoredResponsesHandler(vertx);
    route(router, HttpMethod.GET, StoredResponsesHandler.PATH).handler(stored::get);
    route(router, HttpMethod.DELETE, StoredResponsesHandler.PATH).handler(stored::delete);
    route(router, HttpMethod.POST, AnthropicClientApi.COUNT_TOKENS_PATH)
        .handler(FormBodies.REFUSED)
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(new CountTokensHandler(vertx, body, upstreams));
    route(router, null, ADMIN_API)
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(new AdminApiBridge(vertx.eventBus()));
    router
        .routeWithRegex(ForwardedAnthropicHandler.PATHS)
        .handler(new ForwardedAnthropicHandler(upstreams));
    router.route().failureHandler(failures::respond);
    router.errorHandler(404, failures::respond);
    router.errorHandler(405, failures::respond);
    return router;
  }

  /**
   * Shared through Redis when {@code REDIS_URL} is set, by the node's gateway instances otherwise.
   */
  private RateLimiter rateLimiter() {
    if (settings.redisUrl() != null) {
      return new RedisRateLimiter(
          vertx, settings.redisUrl(), settings.rateLimitRpm(), settings.rateLimitBurst());
    }
    return LocalRateLimiter.shared(vertx, settings.rateLimitRpm(), settings.rateLimitBurst());
  }

  /**
   * A route whose requests are named after {@code path} in traces and metrics ({@code method ==
   * null}: any).
   */
  private Route route(Router router, HttpMethod method, String path) {
    Route route = method == null ? router.route(path) : router.route(method, path);
    return route.handler(requests.route(path));
  }

  private void health(RoutingContext ctx) {
    ctx.json(
        new JsonObject()
            .put("status", "healthy")
            .put("service", "luthien-gateway")
            .put("version", VERSION)
            .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000));
  }
}
