package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.AllCapsPolicy;
import io.luthien.policy.library.MultiSerialPolicy;
import io.luthien.policy.library.NoOpPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How a policy file's classes and configs are read: the three ways to name a class, chains, and a
 * refusal that names the policy, its place in the file and the key.
 */
class PolicyLoadingTest {

  private final PolicyFactory factory = new PolicyFactory(PolicyCatalog.load(null), null);

  @Test
  @DisplayName(
      "a class is named by its simple name, its full Java name or luthien-proxy's module:Class reference")
  void threeWaysToNameAClass() {
    assertThat(load("AllCapsPolicy", new JsonObject())).isInstanceOf(AllCapsPolicy.class);
    assertThat(load(AllCapsPolicy.class.getName(), new JsonObject()))
        .isInstanceOf(AllCapsPolicy.class);
    assertThat(load("luthien_proxy.policies.all_caps_policy:AllCapsPolicy", new JsonObject()))
        .isInstanceOf(AllCapsPolicy.class);
    assertThat(load("luthien_proxy.policies.noop_policy:NoOpPolicy", null))
        .isInstanceOf(NoOpPolicy.class);
  }

  @Test
  @DisplayName("an unknown class is refused naming the reference, where it is, and the known names")
  void unknownClass() {
    assertThatThrownBy(() -> load("luthien_proxy.policies.nope:NopePolicy", new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy.yaml: policy.class")
        .hasMessageContaining("luthien_proxy.policies.nope:NopePolicy")
        .hasMessageContaining("AllCapsPolicy");
    assertThatThrownBy(() -> load("com.example.Missing", new JsonObject()))
        .hasMessageContaining("no policy class 'com.example.Missing'");
    assertThatThrownBy(() -> load(String.class.getName(), new JsonObject()))
        .hasMessageContaining("does not implement");
  }

  @Test
  @DisplayName("a missing class, a config that is not a mapping, and unknown keys are refused")
  void brokenSections() {
    assertThatThrownBy(
            () ->
                factory.fromConfig(new JsonObject().put("policy", new JsonObject()), "policy.yaml"))
        .hasMessage("policy.yaml: policy.class must name a policy class");
    assertThatThrownBy(
            () ->
                factory.fromConfig(
                    new JsonObject()
                        .put(
                            "policy",
                            new JsonObject().put("class", "NoOpPolicy").put("config", "x")),
                    "policy.yaml"))
        .hasMessage("policy.yaml: policy.config must be a mapping");
    assertThatThrownBy(() -> load("AllCapsPolicy", new JsonObject().put("colour", "red")))
        .hasMessageContaining("AllCapsPolicy takes no config keys, got: colour");
  }

  @Test
  @DisplayName(
      "a chain of three is built in order; a bad member is refused naming its index, its class and the key")
  void chains() {
    Policy chain =
        load(
            "luthien_proxy.policies.multi_serial_policy:MultiSerialPolicy",
            new JsonObject()
                .put(
                    "policies",
                    new JsonArray()
                        .add(member("NoOpPolicy", null))
                        .add(member("AllCapsPolicy", new JsonObject()))
                        .add(member(Counting.class.getName(), new JsonObject().put("limit", 3)))));
    assertThat(chain).isInstanceOf(MultiSerialPolicy.class);
    assertThat(((MultiSerialPolicy) chain).members())
        .extracting(Policy::name)
        .containsExactly("NoOpPolicy", "AllCapsPolicy", "Counting");

    assertThatThrownBy(
            () ->
                load(
                    "MultiSerialPolicy",
                    new JsonObject()
                        .put(
                            "policies",
                            new JsonArray()
                                .add(member("NoOpPolicy", null))
                                .add(
                                    member(
                                        Counting.class.getName(),
                                        new JsonObject().put("limit", "three"))))))
        .hasMessageContaining("policy.config.policies[1]")
        .hasMessageContaining("Counting")
        .hasMessageContaining("limit")
        .hasMessageContaining("must be a whole number");
    assertThatThrownBy(() -> load("MultiSerialPolicy", new JsonObject()))
        .hasMessageContaining("policies");
    assertThatThrownBy(
            () ->
                load(
                    "MultiSerialPolicy",
                    new JsonObject().put("policies", new JsonArray().add("AllCapsPolicy"))))
        .hasMessageContaining("policy.config.policies[0] must be a mapping");
  }

  @Test
  @DisplayName(
      "luthien-proxy's wrapped form, a policy's settings under config.config (its Railway chain), reads like the plain one")
  void wrappedConfig() {
    Policy chain =
        load(
            "luthien_proxy.policies.multi_serial_policy:MultiSerialPolicy",
            new JsonObject()
                .put(
                    "policies",
                    new JsonArray()
                        .add(
                            member(
                                "luthien_proxy.policies.debug_logging_policy:DebugLoggingPolicy",
                                new JsonObject()))
                        .add(
                            member(
                                "luthien_proxy.policies.simple_llm_policy:SimpleLLMPolicy",
                                new JsonObject()
                                    .put(
                                        "config",
                                        new JsonObject()
                                            .put("model", "claude-haiku-4-5-20251001")
                                            .put("temperature", 0.0)
                                            .put("max_tokens", 4096)
                                            .put("on_error", "pass")
                                            .put("inference_provider", "user_credentials")
                                            .put("instructions", "Review each block."))))));
    assertThat(((MultiSerialPolicy) chain).members())
        .extracting(Policy::name)
        .containsExactly("DebugLoggingPolicy", "SimpleLLMPolicy");
    assertThat(
            load(
                Counting.class.getName(),
                new JsonObject().put("config", new JsonObject().put("limit", 2))))
        .isInstanceOf(Counting.class);
  }

  @Test
  @DisplayName("a required key that is missing is refused naming the policy and the key")
  void missingKey() {
    assertThatThrownBy(() -> load(Counting.class.getName(), new JsonObject()))
        .hasMessageContaining("Counting")
        .hasMessageContaining("limit");
  }

  private Policy load(String reference, JsonObject config) {
    JsonObject section = member(reference, config);
    return factory.fromConfig(new JsonObject().put("policy", section), "policy.yaml");
  }

  private static JsonObject member(String reference, JsonObject config) {
    JsonObject section = new JsonObject().put("class", reference);
    if (config != null) {
      section.put("config", config);
    }
    return section;
  }

  /** A policy with one required whole-number key. */
  public static final class Counting implements Policy {
    public Counting(PolicyConfig config) {
      if (!config.allowOnly("limit").has("limit")) {
        throw config.refused("limit", "is required");
      }
      config.integer("limit", 0, 1, 100);
    }
  }
}
