package io.luthien.checks;

import static com.google.errorprone.BugPattern.LinkType.NONE;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.bugpatterns.AbstractReturnValueIgnored;
import com.google.errorprone.bugpatterns.threadsafety.ConstantExpressions;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;

/**
 * Error Prone's FutureReturnValueIgnored for {@code io.vertx.core.Future}, which it does not see
 * (that check knows {@code java.util.concurrent.Future} only): a call, or a method reference, whose
 * Vert.x future nobody looks at. Its failure is lost: return it, compose it, or handle it with
 * {@code onComplete} / {@code onFailure}.
 *
 * <p>Not reported: {@code onComplete} and {@code onFailure} themselves (they handle the outcome and
 * return the same future), and the writes of an HTTP server response ({@code HttpServerResponse}
 * write, end, reset..., and {@code RoutingContext} end, json, redirect). Such a write fails only
 * when the client has gone, which the response's own exception and close handlers report, and the
 * handler that wrote it has nothing left to do. Nor {@code HttpClientRequest.reset()}: it abandons
 * the exchange, and fails only when there is nothing left to abandon.
 */
@BugPattern(
    summary =
        "The failure of an ignored Vert.x Future is lost: return it, compose it, or handle it",
    severity = ERROR,
    linkType = NONE)
public final class VertxFutureReturnValueIgnored extends AbstractReturnValueIgnored {

  private static final long serialVersionUID = 1L;

  private static final String FUTURE = "io.vertx.core.Future";

  private static final Supplier<Type> FUTURE_TYPE = Suppliers.typeFromString(FUTURE);

  private static final Matcher<ExpressionTree> NOT_REPORTED =
      anyOf(
          instanceMethod().onDescendantOf(FUTURE).namedAnyOf("onComplete", "onFailure"),
          instanceMethod()
              .onDescendantOf("io.vertx.core.http.HttpServerResponse")
              .namedAnyOf(
                  "write",
                  "end",
                  "writeHead",
                  "writeContinue",
                  "writeEarlyHints",
                  "send",
                  "sendFile",
                  "reset"),
          instanceMethod()
              .onDescendantOf("io.vertx.ext.web.RoutingContext")
              .namedAnyOf("end", "json", "redirect"),
          instanceMethod().onDescendantOf("io.vertx.core.http.HttpClientRequest").named("reset"));

  /**
   * Error Prone loads plugin checks through ServiceLoader, which needs a public no-argument
   * constructor.
   */
  public VertxFutureReturnValueIgnored() {
    super(ConstantExpressions.fromFlags(ErrorProneFlags.empty()));
  }

  @Override
  public Matcher<? super ExpressionTree> specializedMatcher() {
    return (tree, state) -> {
      Type future = FUTURE_TYPE.get(state);
      if (future == null || NOT_REPORTED.matches(tree, state)) {
        return false;
      }
      // the declared return type, as FutureReturnValueIgnored does: a generic <T> T
      // await(Future<T>) returns no future
      Type returned =
          ASTHelpers.getSymbol(tree) instanceof MethodSymbol method
              ? method.getReturnType()
              : ASTHelpers.getResultType(tree);
      return returned != null
          && ASTHelpers.isSubtype(
              ASTHelpers.getUpperBound(returned, state.getTypes()), future, state);
    };
  }
}
