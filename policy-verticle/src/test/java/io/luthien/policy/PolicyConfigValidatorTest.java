package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.policy.api.Policy;
import io.luthien.policy.library.MultiSerialPolicy;
import io.luthien.policy.library.StringReplacementPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A candidate policy is checked against its class's config schema and built before anything is
 * activated; every refusal names the class and the key, in the words of a policy file's refusals.
 */
class PolicyConfigValidatorTest {

  private static final PolicyCatalog SHIPPED = PolicyCatalog.load(null);

  private final PolicyConfigValidator validator =
      new PolicyConfigValidator(SHIPPED, new PolicyFactory(SHIPPED, null));

  @Test
  @DisplayName("a good candidate comes back built, not started")
  void goodCandidate() {
    Policy policy =
        validate(
            "StringReplacementPolicy",
            new JsonObject()
                .put("replacements", new JsonArray().add(new JsonArray().add("a").add("b")))
                .put("apply_to", "both"));

    assertThat(policy).isInstanceOf(StringReplacementPolicy.class);
  }

  @Test
  @DisplayName("a value of the wrong type is refused naming the class, the key and what it takes")
  void wrongType() {
    assertThatThrownBy(
            () -> validate("DebugLoggingPolicy", new JsonObject().put("preview_chars", "ten")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy: DebugLoggingPolicy: config key 'preview_chars' must be a whole number,"
                + " got 'ten'");
    assertThatThrownBy(
            () -> validate("StringReplacementPolicy", new JsonObject().put("replacements", "x")))
        .hasMessageContaining("config key 'replacements' must be a list (each a list), got 'x'");
  }

  @Test
  @DisplayName("a number out of its range is refused naming the range")
  void outOfRange() {
    assertThatThrownBy(
            () ->
                validate(
                    "SimpleLLMPolicy",
                    new JsonObject().put("instructions", "be brief").put("temperature", 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy: SimpleLLMPolicy: config key 'temperature' must be between 0 and 2, got 3");
  }

  @Test
  @DisplayName("a value that is not one of the choices is refused listing them")
  void badChoice() {
    assertThatThrownBy(
            () ->
                validate(
                    "StringReplacementPolicy",
                    new JsonObject()
                        .put("replacements", new JsonArray())
                        .put("apply_to", "sideways")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy: StringReplacementPolicy: config key 'apply_to' must be one of"
                + " request | response | both, got 'sideways'");
    assertThatThrownBy(
            () -> validate("ToolCallGuardPolicy", new JsonObject().put("preset", "everything")))
        .hasMessageContaining(
            "ToolCallGuardPolicy: config key 'preset' must be one of dangerous_commands"
                + " or a list (each one of dangerous_commands), got 'everything'");
  }

  @Test
  @DisplayName("an unknown key is refused listing the known ones")
  void unknownKey() {
    assertThatThrownBy(
            () -> validate("RegexRedactionPolicy", new JsonObject().put("colour", "red")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy: RegexRedactionPolicy: config key 'colour' is not a config key of this policy"
                + " (known: apply_to, patterns, presets, replacement)");
  }

  @Test
  @DisplayName("a missing required key is refused naming it")
  void missingKey() {
    assertThatThrownBy(() -> validate("SimpleLLMPolicy", new JsonObject().put("model", "m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy: SimpleLLMPolicy: config key 'instructions' is required");
  }

  @Test
  @DisplayName("a key inside a list is named by its path")
  void nestedKey() {
    JsonArray patterns =
        new JsonArray()
            .add(new JsonObject().put("name", "ticket").put("regex", "T-[0-9]+"))
            .add(
                new JsonObject()
                    .put("name", "order")
                    .put("regex", "O-[0-9]+")
                    .put("max_length", 0));

    assertThatThrownBy(
            () -> validate("RegexRedactionPolicy", new JsonObject().put("patterns", patterns)))
        .hasMessage(
            "policy: RegexRedactionPolicy: config key 'patterns[1].max_length' must be between"
                + " 1 and 65536, got 0");
  }

  @Test
  @DisplayName("an unknown class is refused naming it and the known ones")
  void unknownClass() {
    assertThatThrownBy(() -> validate("NopePolicy", new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy.class: no policy class 'NopePolicy'")
        .hasMessageContaining("StringReplacementPolicy");
  }

  @Test
  @DisplayName("what the schema cannot say is still refused: the constructor's own checks run")
  void constructorChecksRun() {
    JsonArray patterns = new JsonArray().add(new JsonObject().put("name", "x").put("regex", "("));

    assertThatThrownBy(
            () -> validate("RegexRedactionPolicy", new JsonObject().put("patterns", patterns)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RegexRedactionPolicy: config key 'patterns[0].regex'")
        .hasMessageContaining("is not a valid regex");
  }

  @Test
  @DisplayName("a key set to null is read as left out, as in a policy file")
  void nullIsLeftOut() {
    Policy policy =
        validate(
            "StringReplacementPolicy",
            new JsonObject().put("replacements", new JsonArray()).putNull("apply_to"));

    assertThat(policy).isInstanceOf(StringReplacementPolicy.class);
  }

  @Test
  @DisplayName(
      "each member of a chain is checked against its own schema, the refusal naming policies[i]")
  void chainMembers() {
    JsonObject chain =
        new JsonObject()
            .put(
                "policies",
                new JsonArray()
                    .add(new JsonObject().put("class", "AllCapsPolicy"))
                    .add(
                        new JsonObject()
                            .put("class", "StringReplacementPolicy")
                            .put(
                                "config",
                                new JsonObject()
                                    .put("replacements", new JsonArray())
                                    .put("apply_to", "sideways"))));

    assertThatThrownBy(() -> validate("MultiSerialPolicy", chain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy.config.policies[1]: StringReplacementPolicy: config key 'apply_to' must be"
                + " one of request | response | both, got 'sideways'");
    assertThatThrownBy(() -> validate("MultiSerialPolicy", new JsonObject()))
        .hasMessage("policy: MultiSerialPolicy: config key 'policies' is required");
    assertThatThrownBy(
            () ->
                validate(
                    "MultiSerialPolicy",
                    new JsonObject()
                        .put("policies", new JsonArray().add(new JsonObject().put("class", "X")))))
        .hasMessageContaining("policy.config.policies[0].class: no policy class 'X'");

    chain.getJsonArray("policies").getJsonObject(1).getJsonObject("config").remove("apply_to");
    assertThat(validate("MultiSerialPolicy", chain)).isInstanceOf(MultiSerialPolicy.class);
  }

  private Policy validate(String className, JsonObject config) {
    return validator.validate(new JsonObject().put("class", className).put("config", config));
  }
}
