package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiAnswer;
import io.vertx.core.Future;

/** One {@code /api/*} endpoint; throwing or failing with an {@link ApiProblem} answers with it. */
@FunctionalInterface
public interface ApiHandler {
  Future<ApiAnswer> handle(ApiRequest request);
}
