package io.luthien.shared.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AttributeCacheTest {

  private static final AttributeKey<String> LABEL = AttributeKey.stringKey("label");

  @Test
  @DisplayName(
      "a key's set is built once and then reused; past the bound, sets are built each time and not kept")
  void buildsOnceWithinTheBound() {
    AtomicInteger builds = new AtomicInteger();
    AttributeCache<String> cache =
        new AttributeCache<>(
            2,
            label -> {
              builds.incrementAndGet();
              return Attributes.of(LABEL, label);
            });

    Attributes first = cache.get("a");
    assertThat(cache.get("a")).isSameAs(first).isEqualTo(Attributes.of(LABEL, "a"));
    cache.get("b");
    assertThat(builds).hasValue(2);

    assertThat(cache.get("c")).isEqualTo(Attributes.of(LABEL, "c"));
    assertThat(cache.get("c")).isEqualTo(Attributes.of(LABEL, "c"));
    assertThat(builds).hasValue(4);
    assertThat(cache.size()).isEqualTo(2);
  }
}
