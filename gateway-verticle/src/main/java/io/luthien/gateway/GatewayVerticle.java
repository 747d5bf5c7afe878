package io.luthien.gateway;

import io.luthien.shared.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface of the gateway: OpenAI-compatible endpoints in front of the policy and the providers. */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final String VERSION = "0.1.0";

  private GatewaySettings settings;
  private Upstreams upstreams;
  private HttpServer server;

  @Override
  public Future<?> start() {
    settings = GatewaySettings.from(config());
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true).setConnectTimeout((int) settings.upstreamConnectTimeoutMillis()),
        new PoolOptions().setHttp1MaxSize(settings.upstreamPoolSize()));
    return Upstreams.load(vertx, settings, client, new Settings(config()))
        .compose(loaded -> {
          upstreams = loaded;
          return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
              .requestHandler(router())
              .listen(settings.port(), settings.host());
        })
        .onSuccess(listening -> {
          server = listening;
          log.info("gateway listening on {}:{}", settings.host(), listening.actualPort());
          if (settings.proxyApiKey() == null) {
            log.warn("PROXY_API_KEY is not set: the gateway accepts requests without a key. "
                + "Set PROXY_API_KEY before exposing it beyond this machine.");
          }
        });
  }

  /** The port the server really listens on (useful with {@code GATEWAY_PORT=0}). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    FailureResponder failures = new FailureResponder(settings.maxBodyBytes());
    Router router = Router.router(vertx);
    router.route().handler(CallIds::assign);
    router.get("/health").handler(this::health);
    if (settings.proxyApiKey() != null) {
      router.route("/v1/*").handler(new ApiKeyAuth(settings.proxyApiKey()));
    }
    router.get("/v1/models").handler(this::models);
    router.post("/v1/chat/completions")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(new ChatCompletionsHandler(new PolicyClient(vertx.eventBus(), settings.policyTimeoutMillis()), upstreams,
            new CallRecorder(vertx.eventBus(), settings.recording())));
    router.route().failureHandler(failures::respond);
    router.errorHandler(404, failures::respond);
    router.errorHandler(405, failures::respond);
    return router;
  }

  private void health(RoutingContext ctx) {
    ctx.json(new JsonObject()
        .put("status", "healthy")
        .put("service", "luthien-gateway")
        .put("version", VERSION)
        .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000));
  }

  private void models(RoutingContext ctx) {
    JsonArray data = new JsonArray();
    upstreams.routes().listed().forEach(model -> data.add(new JsonObject()
        .put("id", model.upstreamModel())
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", model.providerName())));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
  }
}
