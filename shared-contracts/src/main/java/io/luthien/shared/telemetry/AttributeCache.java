package io.luthien.shared.telemetry;

import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Metric attribute sets built once per key rather than at every measurement: building one sorts and
 * copies its entries, which costs even when telemetry is off. Keys come from configuration (policy
 * names, routes' models), so there are few of them; past {@code maxCached} a set is built each time
 * instead, so a surprise cannot grow the cache without bound.
 *
 * @param <K> a value with equals and hashCode, e.g. a record of the labels
 */
public final class AttributeCache<K> {

  private final Map<K, Attributes> cache = new ConcurrentHashMap<>();
  private final int maxCached;
  private final Function<K, Attributes> build;

  public AttributeCache(int maxCached, Function<K, Attributes> build) {
    this.maxCached = maxCached;
    this.build = build;
  }

  public Attributes get(K key) {
    Attributes cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Attributes built = build.apply(key);
    if (cache.size() < maxCached) {
      cache.putIfAbsent(key, built);
    }
    return built;
  }

  public int size() {
    return cache.size();
  }
}
