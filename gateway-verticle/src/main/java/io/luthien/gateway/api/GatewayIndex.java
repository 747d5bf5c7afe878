package io.luthien.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /} on the gateway: what it is, its endpoints, and where the debug pages and the docs
 * are. JSON for programs, a short HTML page for a browser ({@code Accept: text/html}).
 */
public final class GatewayIndex implements Handler<RoutingContext> {

  private final int debugPort;

  /** {@code debugPort}: where the debug role listens when it runs on this host. */
  public GatewayIndex(int debugPort) {
    this.debugPort = debugPort;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String host =
        ctx.request().authority() != null ? ctx.request().authority().host() : "127.0.0.1";
    String debugUrl = "http://" + host + ":" + debugPort + "/";
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("text/html")) {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .end(html(debugUrl));
    } else {
      ctx.json(json(debugUrl));
    }
  }

  private static JsonObject json(String debugUrl) {
    return new JsonObject()
        .put("service", "luthien-gateway")
        .put(
            "what",
            "an LLM control gateway: point an OpenAI or Anthropic client here; policies see every call")
        .put(
            "endpoints",
            new JsonArray()
                .add("POST /v1/chat/completions (OpenAI)")
                .add("POST /v1/responses (OpenAI Responses)")
                .add("POST /v1/messages (Anthropic)")
                .add("POST /v1/messages/count_tokens (Anthropic)")
                .add("GET /v1/models")
                .add("GET /health"))
        .put("debug_pages", debugUrl)
        .put(
            "docs",
            "README.md and docs/ in the luthien-vertx repository (docs/http-api.md for this API)");
  }

  private static String html(String debugUrl) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>luthien gateway</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto">
        <h1>luthien gateway</h1>
        <p>An LLM control gateway: point an OpenAI or Anthropic client at this address; policies see every call.</p>
        <ul>
          <li><code>POST /v1/chat/completions</code>: OpenAI chat completions</li>
          <li><code>POST /v1/responses</code>: OpenAI Responses</li>
          <li><code>POST /v1/messages</code>, <code>POST /v1/messages/count_tokens</code>: Anthropic Messages</li>
          <li><a href="/v1/models"><code>GET /v1/models</code></a>: the models this gateway can reach</li>
          <li><a href="/health"><code>GET /health</code></a></li>
        </ul>
        <p>Debug pages (recorded calls, diffs, live activity): <a href="%s">%s</a> when the debug role runs here.</p>
        <p>Docs: <code>README.md</code> and <code>docs/</code> in the luthien-vertx repository.</p>
        </body></html>
        """
        .formatted(debugUrl, debugUrl);
  }
}
