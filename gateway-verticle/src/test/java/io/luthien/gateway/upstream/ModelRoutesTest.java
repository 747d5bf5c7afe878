package io.luthien.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelRoutesTest {

  private final ModelRoutes routes =
      ModelRoutes.fromConfig(
          new JsonObject()
              .put(
                  "routes",
                  new JsonArray()
                      .add(route("gpt-4o", "openai"))
                      .add(route("fast", "openai").put("upstream_model", "gpt-4o-mini"))
                      .add(route("claude-*", "anthropic").put("upstream_model", "claude-house"))
                      .add(route("gpt-*", "openai"))
                      .add(route("gpt-?", "openai"))),
          "test routes",
          Map.of());

  @Test
  @DisplayName(
      "a bounded name is the model itself when a route names it exactly or as its upstream_model")
  void namedModelsAreThemselves() {
    assertThat(routes.boundedName("gpt-4o")).isEqualTo("gpt-4o");
    assertThat(routes.boundedName("fast")).isEqualTo("fast");
    assertThat(routes.boundedName("gpt-4o-mini")).isEqualTo("gpt-4o-mini");
    assertThat(routes.boundedName("claude-house")).isEqualTo("claude-house");
  }

  @Test
  @DisplayName("any other model is named by the glob of the first route matching it, or not at all")
  void otherModelsAreTheirRoutesGlob() {
    assertThat(routes.boundedName("claude-anything-at-all")).isEqualTo("claude-*");
    assertThat(routes.boundedName("gpt-5")).isEqualTo("gpt-*");
    assertThat(routes.boundedName("llama-3")).isNull();
  }

  private static JsonObject route(String model, String provider) {
    return new JsonObject().put("model", model).put("provider", provider);
  }
}
