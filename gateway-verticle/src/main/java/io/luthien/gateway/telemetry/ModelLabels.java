package io.luthien.gateway.telemetry;

import io.luthien.gateway.upstream.ModelRoutes;

/**
 * The values {@code gen_ai.request.model} and {@code gen_ai.response.model} may take on a metric.
 * Every distinct value is a series kept until the node stops, and clients choose the model (the
 * provider echoes one back): left as sent, 5,000 made-up names made {@code /metrics} 39.5 MB. So a
 * model the routes name (an exact route, an {@code upstream_model}) keeps its name; one that only
 * matches a glob route is labelled by that route's glob ({@code claude-*}), which still splits the
 * traffic as the routes file does; anything else is {@code other}. Spans keep the real name.
 */
final class ModelLabels {

  static final String OTHER = "other";

  /** Before the routes are known: every model is {@code other}. */
  static final ModelLabels NONE = new ModelLabels(null);

  private final ModelRoutes routes;

  private ModelLabels(ModelRoutes routes) {
    this.routes = routes;
  }

  static ModelLabels of(ModelRoutes routes) {
    return new ModelLabels(routes);
  }

  /** The label of {@code model}; null stays null (no attribute). */
  String label(String model) {
    if (model == null) {
      return null;
    }
    String bounded = routes == null ? null : routes.boundedName(model);
    return bounded == null ? OTHER : bounded;
  }
}
