package io.luthien.debug;

import io.luthien.debug.admin.PolicyAdmin;
import io.luthien.debug.admin.PolicyTrials;
import io.luthien.debug.api.ApiEndpoints;
import io.luthien.debug.api.ApiRouter;
import io.luthien.debug.history.HistoryApi;
import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.luthien.shared.StorageSchema;
import io.luthien.shared.policystore.PolicyStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The debug node: recorded calls and their diffs over REST, the live activity feed over SSE, the
 * pages that show them (diff viewer, activity monitor, session history, a live conversation), the
 * policies page over the admin API, and an index of it all. Every route but the index, {@code
 * /health} and the pages' static assets needs the admin key.
 */
public final class DebugVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DebugVerticle.class);
  private static final String PAGE_SECURITY =
      "default-src 'self'; script-src 'self'; "
          + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

  private static final long API_BODY_LIMIT = 16L * 1024 * 1024;

  private DebugSettings settings;
  private Pool pool;
  private ActivityHub hub;
  private ActivitySource feed;
  private HttpServer server;
  private ApiRouter api;

  @Override
  public Future<?> start() {
    settings = DebugSettings.from(config());
    DatabaseSettings database = DatabaseSettings.from(new Settings(config()));
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(database.poolSize()))
            .connectingTo(database.connectOptions())
            .using(vertx)
            .build();
    hub = new ActivityHub(settings.replayEvents());
    feed =
        settings.redisUrl() == null
            ? new EventBusActivitySource(vertx.eventBus(), hub)
            : new RedisActivitySource(vertx, hub, settings.redisUrl());
    api = apiRouter();
    return StorageSchema.prepare(vertx, database)
        .compose(migrated -> feed.start())
        .compose(feeding -> ApiEndpoints.listen(vertx.eventBus(), api))
        .compose(
            feeding ->
                vertx
                    .createHttpServer(
                        new HttpServerOptions().setTracingPolicy(TracingPolicy.IGNORE))
                    .requestHandler(router())
                    .listen(settings.port(), settings.host()))
        .onSuccess(
            listening -> {
              server = listening;
              log.debug(
                  "debug API listening on {}:{} (activity feed from {})",
                  settings.host(),
                  listening.actualPort(),
                  settings.redisUrl() == null ? "the event bus" : "Redis");
            });
  }

  @Override
  public Future<?> stop() {
    return feed.stop().eventually(() -> pool.close());
  }

  /** The port the server really listens on (useful with {@code DEBUG_PORT=0}). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The admin API, answered here and, over the event bus, on every gateway's port. */
  private ApiRouter apiRouter() {
    ApiRouter router = new ApiRouter(settings.adminApiKey());
    new PolicyAdmin(vertx.eventBus(), new PolicyStore(pool)).register(router);
    new PolicyTrials(vertx.eventBus(), pool).register(router);
    new HistoryApi(pool, settings::traceUrl).register(router);
    return router;
  }

  private Router router() {
    CallsApi calls = new CallsApi(new CallStore(pool), settings);
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/health").handler(this::health);
    // Before the key check: the pages' scripts and stylesheet hold no data, and the open index page
    // shares them.
    router
        .get("/debug/assets/*")
        .handler(StaticHandler.create("webroot/assets").setCachingEnabled(false));
    if (settings.adminApiKey() != null) {
      AdminAuth auth = new AdminAuth(settings.adminApiKey());
      router.route("/debug/*").handler(auth);
      router.route("/activity/*").handler(auth);
      router.route("/policies").handler(auth);
      router.route("/history").handler(auth);
      router.route("/conversation/*").handler(auth);
    }
    router
        .route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(API_BODY_LIMIT))
        .handler(ctx -> ApiEndpoints.http(api, ctx));
    router.get("/debug/calls").handler(calls::list);
    router.get("/debug/calls/:call_id").handler(calls::call);
    router.get("/debug/calls/:call_id/diff").handler(calls::diff);
    router
        .get("/activity/stream")
        .handler(new ActivityStreamHandler(vertx, hub, settings.heartbeatMillis())::handle);
    router.get("/debug/diff").handler(ctx -> page(ctx, "webroot/diff.html"));
    router.get("/activity/monitor").handler(ctx -> page(ctx, "webroot/monitor.html"));
    router.get("/policies").handler(ctx -> page(ctx, "webroot/policies.html"));
    router.get("/history").handler(ctx -> page(ctx, "webroot/history.html"));
    router
        .get("/conversation/live/:session_id")
        .handler(ctx -> page(ctx, "webroot/conversation.html"));
    router.route().failureHandler(DebugFailures::respond);
    router.errorHandler(404, DebugFailures::respond);
    router.errorHandler(405, DebugFailures::respond);
    return router;
  }

  private void page(RoutingContext ctx, String resource) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", PAGE_SECURITY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .sendFile(resource)
        .onFailure(ctx::fail);
  }

  private void health(RoutingContext ctx) {
    ctx.json(
        new JsonObject()
            .put("status", "healthy")
            .put("service", "luthien-debug")
            .put("activity_feed", feed.connected() ? "connected" : "disconnected")
            .put("activity_listeners", hub.listeners())
            .put("admin_key_required", settings.adminApiKey() != null));
  }
}
