package io.luthien.gateway.upstream;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the providers with a key of their own list as their models, each provider's list kept for
 * {@link #TTL_NANOS} so that clients asking {@code GET /v1/models} often do not each cost a call. A
 * provider that fails or takes longer than {@link ModelListing#TIMEOUT_MILLIS} lists nothing until
 * its next try: its models are left out, never an error.
 */
public final class ProviderModelCatalog {

  static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(60);

  private record Cached(Future<List<ProviderModel>> models, long fetchedAt) {}

  private final Map<String, ChatProvider> providers;
  private final LongSupplier nanoTime;
  private final Map<String, Cached> cache = new LinkedHashMap<>();

  ProviderModelCatalog(Map<String, ChatProvider> providers, LongSupplier nanoTime) {
    this.providers = new LinkedHashMap<>(providers);
    this.nanoTime = nanoTime;
  }

  /**
   * Each provider's models by provider name, in the providers' order; never fails. Call on one
   * event loop: the cache is not thread-safe.
   */
  public Future<Map<String, List<ProviderModel>>> models() {
    List<String> names = new ArrayList<>(providers.keySet());
    List<Future<List<ProviderModel>>> lists = names.stream().map(this::modelsOf).toList();
    return Future.join(lists)
        .transform(
            done -> {
              Map<String, List<ProviderModel>> byProvider = new LinkedHashMap<>();
              for (int i = 0; i < names.size(); i++) {
                Future<List<ProviderModel>> list = lists.get(i);
                byProvider.put(names.get(i), list.succeeded() ? list.result() : List.of());
              }
              return Future.succeededFuture(byProvider);
            });
  }

  private Future<List<ProviderModel>> modelsOf(String provider) {
    long now = nanoTime.getAsLong();
    Cached cached = cache.get(provider);
    if (cached != null && now - cached.fetchedAt() < TTL_NANOS) {
      return cached.models();
    }
    Future<List<ProviderModel>> models =
        providers
            .get(provider)
            .models()
            .timeout(ModelListing.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .otherwise(List.of());
    cache.put(provider, new Cached(models, now));
    return models;
  }
}
