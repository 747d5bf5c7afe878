package io.luthien.gateway.telemetry;

import io.luthien.shared.telemetry.AttributeCache;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The attribute sets of the {@code gen_ai.client.*} metrics, built once per combination of
 * provider, model labels, error type and token type rather than on every call (building one sorts
 * and copies its entries). The labels are bounded by the routes, so the cache is too; past {@link
 * #MAX_CACHED} combinations a set is built each time instead.
 */
final class UpstreamAttributes {

  static final int MAX_CACHED = 4096;

  private final AttributeCache<Key> cache = new AttributeCache<>(MAX_CACHED, Key::build);

  /**
   * @param responseModel null until the provider named one
   * @param errorType null for a call that succeeded
   * @param tokenType {@code input} or {@code output} for token counts, else null
   */
  Attributes of(
      String provider,
      String requestModel,
      String responseModel,
      String errorType,
      String tokenType) {
    return cache.get(new Key(provider, requestModel, responseModel, errorType, tokenType));
  }

  int size() {
    return cache.size();
  }

  private record Key(
      String provider,
      String requestModel,
      String responseModel,
      String errorType,
      String tokenType) {

    Attributes build() {
      AttributesBuilder attributes =
          Attributes.builder()
              .put(TelemetryNames.GEN_AI_OPERATION_NAME, LlmCompletionSpan.OPERATION_CHAT)
              .put(TelemetryNames.GEN_AI_PROVIDER_NAME, provider)
              .put(TelemetryNames.GEN_AI_REQUEST_MODEL, requestModel);
      if (responseModel != null) {
        attributes.put(TelemetryNames.GEN_AI_RESPONSE_MODEL, responseModel);
      }
      if (errorType != null) {
        attributes.put(TelemetryNames.ERROR_TYPE, errorType);
      }
      if (tokenType != null) {
        attributes.put(TelemetryNames.GEN_AI_TOKEN_TYPE, tokenType);
      }
      return attributes.build();
    }
  }
}
