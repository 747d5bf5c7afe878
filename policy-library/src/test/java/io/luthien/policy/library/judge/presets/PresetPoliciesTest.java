package io.luthien.policy.library.judge.presets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.policy.api.ModelClient;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.luthien.policy.library.judge.SimpleLLMPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The eight presets of luthien-proxy")
class PresetPoliciesTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /**
   * Each preset, luthien-proxy's temperature, max_tokens and on_error, and the first 16 hex digits
   * of the SHA-256 of luthien-proxy's instruction text.
   */
  static Stream<Arguments> presets() {
    return Stream.of(
        preset(NoYappingPolicy::new, 0.0, 4096, false, "601781d756b280f5"),
        preset(NoApologiesPolicy::new, 0.0, 4096, false, "016e7cee4a761113"),
        preset(PlainDashesPolicy::new, 0.0, 4096, false, "7a2caa3618bc846a"),
        preset(PreferUvPolicy::new, 0.0, 4096, false, "4b52e1b220aca9ee"),
        preset(DeAIPolicy::new, 0.3, 8192, false, "a827f75ab314a167"),
        preset(BlockDangerousCommandsPolicy::new, 0.0, 4096, true, "5b4465a0f3effd99"),
        preset(BlockWebRequestsPolicy::new, 0.0, 4096, true, "9d6f5aa66aa5a18d"),
        preset(BlockSensitiveFileWritesPolicy::new, 0.0, 4096, true, "63308f63355e9a53"));
  }

  private static Arguments preset(
      Function<PolicyConfig, SimpleLLMPolicy> make,
      double temperature,
      long maxTokens,
      boolean blocks,
      String fingerprint) {
    String name = make.apply(PolicyConfig.empty("probe")).name();
    return Arguments.of(name, make, temperature, maxTokens, blocks, fingerprint);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  @DisplayName(
      "with an empty config it asks luthien-proxy's judge with luthien-proxy's instructions, temperature, max_tokens and on_error")
  void asLuthien(
      String name,
      Function<PolicyConfig, SimpleLLMPolicy> make,
      double temperature,
      long maxTokens,
      boolean blocks,
      String fingerprint)
      throws Exception {
    SimpleLLMPolicy policy = make.apply(new PolicyConfig(name, new JsonObject()));
    List<JsonObject> sent = new ArrayList<>();
    ModelClient judge =
        (request, options) -> {
          sent.add(request);
          return Future.succeededFuture(
              Completions.completion(
                  "j",
                  1,
                  "judge",
                  Completions.choice(0, Messages.assistant("{\"action\": \"pass\"}"), "stop")));
        };
    JsonObject answer =
        Completions.completion(
            "c", 1, "m", Completions.choice(0, Messages.assistant("hello"), "stop"));

    new PolicyHarness(policy, new JsonObject().put("model", "m"), vertx, judge)
        .response(answer)
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    assertThat(sha256(policy.instructions())).startsWith(fingerprint);
    assertThat(policy.blocksOnError()).isEqualTo(blocks);
    assertThat(policy.judgeModel()).isEqualTo("claude-haiku-4-5");
    JsonObject request = sent.get(0);
    assertThat(request.getDouble("temperature")).isEqualTo(temperature);
    assertThat(request.getLong("max_tokens")).isEqualTo(maxTokens);
    JsonArray messages = request.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("content"))
        .contains("INSTRUCTIONS:\n" + policy.instructions() + "\n\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  @DisplayName("its instructions are fixed; model and the judge's other keys may be set")
  void configurable(String name, Function<PolicyConfig, SimpleLLMPolicy> make) {
    SimpleLLMPolicy policy =
        make.apply(
            new PolicyConfig(
                name,
                new JsonObject()
                    .put("model", "local-judge")
                    .put("on_error", "block")
                    .put("max_retries", 0)
                    .put("timeout", 5)));

    assertThat(policy.judgeModel()).isEqualTo("local-judge");
    assertThat(policy.blocksOnError()).isTrue();
    assertThatThrownBy(
            () -> make.apply(new PolicyConfig(name, new JsonObject().put("instructions", "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("'instructions'");
  }

  @Test
  @DisplayName(
      "the judges and presets are listed in META-INF/luthien-policies, so luthien-proxy's class names resolve")
  void listed() throws IOException {
    String listed;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("META-INF/luthien-policies")) {
      assertThat(in).isNotNull();
      listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(listed.lines().map(line -> line.substring(line.lastIndexOf('.') + 1)))
        .contains(
            "SimpleLLMPolicy",
            "ToolCallJudgePolicy",
            "NoYappingPolicy",
            "NoApologiesPolicy",
            "PlainDashesPolicy",
            "PreferUvPolicy",
            "DeAIPolicy",
            "BlockDangerousCommandsPolicy",
            "BlockWebRequestsPolicy",
            "BlockSensitiveFileWritesPolicy");
  }

  private static String sha256(String text) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
