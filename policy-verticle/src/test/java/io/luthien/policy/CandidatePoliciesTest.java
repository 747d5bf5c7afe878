package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CandidatePoliciesTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  private CandidatePolicies candidates(Vertx vertx, int capacity) {
    return new CandidatePolicies(
        new PolicyFactory(PolicyCatalog.load(null), vertx), capacity, 60_000, now::get);
  }

  private static JsonObject closable(String tag) {
    return new JsonObject()
        .put("class", TestPolicies.Closable.class.getName())
        .put("config", new JsonObject().put("tag", tag));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static TestPolicies.Closable policyOf(ActivePolicy active) {
    return (TestPolicies.Closable) active.policy();
  }

  @Test
  @DisplayName("the same {class, config} gets the same started candidate while it is in use")
  void reused(Vertx vertx) throws Exception {
    CandidatePolicies candidates = candidates(vertx, 8);

    ActivePolicy first = await(candidates.get(closable("a")));
    now.addAndGet(59_000);
    ActivePolicy again = await(candidates.get(closable("a")));
    ActivePolicy other = await(candidates.get(closable("b")));

    assertThat(again).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(candidates.size()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a candidate unused for over 60 s is retired and closed; the next trial builds it anew")
  void idleRetired(Vertx vertx) throws Exception {
    CandidatePolicies candidates = candidates(vertx, 8);
    ActivePolicy idle = await(candidates.get(closable("idle")));
    now.addAndGet(30_000);
    ActivePolicy used = await(candidates.get(closable("used")));

    now.addAndGet(30_001);
    int retired = candidates.retireIdle();

    assertThat(retired).isEqualTo(1);
    assertThat(policyOf(idle).closed).isTrue();
    assertThat(policyOf(used).closed).isFalse();
    assertThat(await(candidates.get(closable("idle")))).isNotSameAs(idle);
  }

  @Test
  @DisplayName("a retired candidate with a call in flight closes only when that call ends")
  void retiredAfterItsCalls(Vertx vertx) throws Exception {
    CandidatePolicies candidates = candidates(vertx, 8);
    ActivePolicy busy = await(candidates.get(closable("busy"))).acquire();

    now.addAndGet(61_000);
    assertThat(candidates.retireIdle()).isEqualTo(1);
    assertThat(policyOf(busy).closed).isFalse();

    busy.release();
    assertThat(policyOf(busy).closed).isTrue();
  }

  @Test
  @DisplayName("beyond the capacity the least recently used candidate is retired")
  void evicted(Vertx vertx) throws Exception {
    CandidatePolicies candidates = candidates(vertx, 2);
    ActivePolicy a = await(candidates.get(closable("a")));
    ActivePolicy b = await(candidates.get(closable("b")));
    await(candidates.get(closable("a")));

    ActivePolicy c = await(candidates.get(closable("c")));

    assertThat(candidates.size()).isEqualTo(2);
    assertThat(policyOf(b).closed).isTrue();
    assertThat(policyOf(a).closed).isFalse();
    assertThat(policyOf(c).closed).isFalse();
  }

  @Test
  @DisplayName("a candidate that cannot be built is refused naming the key, and is not kept")
  void refused(Vertx vertx) {
    CandidatePolicies candidates = candidates(vertx, 8);
    JsonObject bad =
        new JsonObject()
            .put("class", "StringReplacementPolicy")
            .put("config", new JsonObject().put("replacements", "nope"));

    assertThatThrownBy(() -> await(candidates.get(bad)))
        .isInstanceOf(CandidatePolicies.CandidateRefusedException.class)
        .hasMessageContaining("StringReplacementPolicy")
        .hasMessageContaining("replacements");
    assertThatThrownBy(() -> await(candidates.get(new JsonObject().put("class", "NoSuchPolicy"))))
        .isInstanceOf(CandidatePolicies.CandidateRefusedException.class)
        .hasMessageContaining("NoSuchPolicy");
    assertThat(candidates.size()).isZero();
  }
}
