package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiAnswer;
import io.luthien.shared.payloads.ApiCall;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin and history API ({@code /api/*}), whichever port the request came in on: the debug
 * node's own, or a gateway's over the event bus. Every route needs the admin key; without {@code
 * ADMIN_API_KEY} the API is off (403), since it changes what every call goes through.
 */
public final class ApiRouter {

  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
  private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

  private record Route(String method, Pattern path, List<String> parameters, ApiHandler handler) {}

  private final AdminKey key;
  private final List<Route> routes = new ArrayList<>();

  /** {@code adminKey} null: every request is refused. */
  public ApiRouter(String adminKey) {
    this.key = adminKey == null ? null : new AdminKey(adminKey);
  }

  /** {@code template} names path parameters in braces: {@code /api/history/sessions/{id}}. */
  public ApiRouter route(String method, String template, ApiHandler handler) {
    List<String> parameters = new ArrayList<>();
    Matcher names = PARAMETER.matcher(template);
    StringBuilder regex = new StringBuilder();
    int at = 0;
    while (names.find()) {
      regex.append(Pattern.quote(template.substring(at, names.start()))).append("([^/]+)");
      parameters.add(names.group(1));
      at = names.end();
    }
    regex.append(Pattern.quote(template.substring(at)));
    routes.add(new Route(method, Pattern.compile(regex.toString()), parameters, handler));
    return this;
  }

  public Future<ApiAnswer> dispatch(ApiCall call) {
    try {
      return answer(call).recover(failure -> Future.succeededFuture(problem(call, failure)));
    } catch (RuntimeException failure) {
      return Future.succeededFuture(problem(call, failure));
    }
  }

  private Future<ApiAnswer> answer(ApiCall call) {
    if (key == null) {
      throw new ApiProblem(
          403,
          "permission_error",
          "the admin API is off: set ADMIN_API_KEY on the debug node to use it");
    }
    AdminKey.Verdict verdict = key.check(call.header("authorization"), call.header("x-api-key"));
    if (verdict != AdminKey.Verdict.ACCEPTED) {
      return Future.succeededFuture(
          new ApiProblem(401, "authentication_error", AdminKey.describe(verdict))
              .toAnswer()
              .withHeader("WWW-Authenticate", AdminKey.CHALLENGE));
    }
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher matcher = route.path.matcher(call.path());
      if (!matcher.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method.equals(call.method())) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < route.parameters.size(); i++) {
          parameters.put(route.parameters.get(i), matcher.group(i + 1));
        }
        return route.handler.handle(new ApiRequest(call, parameters));
      }
    }
    throw pathKnown
        ? new ApiProblem(405, "invalid_request_error", call.method() + " is not allowed here")
        : ApiProblem.notFound("no such API route: " + call.path());
  }

  private static ApiAnswer problem(ApiCall call, Throwable failure) {
    ApiProblem problem = asProblem(failure);
    if (problem.status() >= 500) {
      log.warn(
          "{} {} failed: {}",
          call.method(),
          call.path(),
          problem.getMessage(),
          problem.status() == 500 ? failure : null);
    }
    return problem.toAnswer();
  }

  private static ApiProblem asProblem(Throwable failure) {
    if (failure instanceof ApiProblem known) {
      return known;
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> ApiProblem.unavailable("no node answers " + reply.getMessage());
        case TIMEOUT ->
            new ApiProblem(504, "timeout_error", "no answer in time: " + reply.getMessage());
        case RECIPIENT_FAILURE ->
            reply.failureCode() >= 400 && reply.failureCode() < 600
                ? new ApiProblem(reply.failureCode(), "request_failed", reply.getMessage())
                : new ApiProblem(502, "request_failed", reply.getMessage());
        default -> new ApiProblem(502, "request_failed", reply.getMessage());
      };
    }
    if (StorageOutage.is(failure)) {
      return ApiProblem.unavailable(
          "the database is not reachable right now, nothing changed: " + failure.getMessage());
    }
    return new ApiProblem(
        500, "server_error", "internal error: " + failure.getClass().getSimpleName());
  }
}
