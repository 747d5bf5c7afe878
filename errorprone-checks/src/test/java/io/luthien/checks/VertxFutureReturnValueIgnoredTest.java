package io.luthien.checks;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VertxFutureReturnValueIgnoredTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(VertxFutureReturnValueIgnored.class, getClass());

  @Test
  @DisplayName(
      "a dropped Vert.x future is an error: a statement, a lambda's expression, a method reference")
  void droppedFutures() {
    helper
        .addSourceLines(
            "Dropped.java",
            "import io.vertx.core.Future;",
            "import io.vertx.core.Vertx;",
            "class Dropped {",
            "  Future<Void> close() { return Future.succeededFuture(); }",
            "  void run(Vertx vertx) {",
            "    // BUG: Diagnostic contains: VertxFutureReturnValueIgnored",
            "    vertx.close();",
            "    // BUG: Diagnostic contains: VertxFutureReturnValueIgnored",
            "    close();",
            "    // BUG: Diagnostic contains: VertxFutureReturnValueIgnored",
            "    vertx.setTimer(10, id -> close());",
            "    // BUG: Diagnostic contains: VertxFutureReturnValueIgnored",
            "    Future.succeededFuture(this).onSuccess(Dropped::close);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  @DisplayName(
      "a future that is returned, composed, handled or kept is fine, and so are a response write and a reset")
  void handledFutures() {
    helper
        .addSourceLines(
            "Handled.java",
            "import io.vertx.core.Future;",
            "import io.vertx.core.Vertx;",
            "import io.vertx.core.http.HttpClientRequest;",
            "import io.vertx.core.http.HttpServerResponse;",
            "import io.vertx.ext.web.RoutingContext;",
            "class Handled {",
            "  static <T> T await(Future<T> future) { return null; }",
            "  Future<Void> stop(Vertx vertx) {",
            "    vertx.close().onFailure(Throwable::printStackTrace);",
            "    vertx.close().onComplete(done -> { });",
            "    Future<Void> kept = vertx.close();",
            "    await(Future.all(kept, kept));",
            "    return kept.compose(v -> vertx.close());",
            "  }",
            "  void respond(HttpServerResponse response, RoutingContext ctx, HttpClientRequest upstream) {",
            "    upstream.reset();",
            "    response.write(\"a\");",
            "    response.end();",
            "    ctx.json(\"{}\");",
            "  }",
            "}")
        .doTest();
  }
}
