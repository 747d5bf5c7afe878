package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A policy request that carries a candidate runs on it, and leaves the active policy active. */
@ExtendWith(VertxExtension.class)
class PolicyCandidateTest {

  @TempDir Path dir;

  private void deployBlocking(Vertx vertx, String word) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        "policy:\n  class: "
            + TestPolicies.Blocking.class.getName()
            + "\n  config:\n    word: "
            + word
            + "\n");
    await(
        vertx.deployVerticle(
            new PolicyVerticle(),
            new DeploymentOptions()
                .setConfig(new JsonObject().put("POLICY_CONFIG", file.toString()))));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static JsonObject call(String callId, String text, JsonObject candidate) {
    JsonObject request =
        new JsonObject()
            .put("model", "m")
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
    JsonObject body = new JsonObject().put("call_id", callId).put("request", request);
    return candidate == null ? body : body.put("candidate", candidate);
  }

  private static JsonObject ask(Vertx vertx, JsonObject body) throws Exception {
    return await(
        vertx.eventBus().<JsonObject>request(Addresses.POLICY_REQUEST, body).map(Message::body));
  }

  private static ReplyException refusal(Vertx vertx, JsonObject body) {
    Future<Message<JsonObject>> reply = vertx.eventBus().request(Addresses.POLICY_REQUEST, body);
    assertThatThrownBy(() -> reply.await(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
    return (ReplyException) reply.cause();
  }

  private static JsonObject blocking(String word) {
    return new JsonObject()
        .put("class", TestPolicies.Blocking.class.getName())
        .put("config", new JsonObject().put("word", word));
  }

  @Test
  @DisplayName(
      "a call with a candidate is decided by the candidate; the next call without one by the active policy")
  void candidateNotActivated(Vertx vertx) throws Exception {
    deployBlocking(vertx, "launch-codes");

    JsonObject byCandidate = ask(vertx, call("t1", "hello there", blocking("hello")));
    JsonObject byActive = ask(vertx, call("c1", "hello there", null));
    JsonObject activeBlocks = ask(vertx, call("c2", "the launch-codes", null));

    assertThat(byCandidate.getJsonObject("blocked").getString("message")).contains("'hello'");
    assertThat(byCandidate.getJsonArray("events").getJsonObject(0).getJsonObject("data"))
        .isEqualTo(
            new JsonObject().put("word", "hello").put("found", true).put("policy", "Blocking"));
    assertThat(byActive.containsKey("blocked")).isFalse();
    assertThat(activeBlocks.getJsonObject("blocked").getString("message")).contains("launch-codes");
  }

  @Test
  @DisplayName("a candidate with a bad config is refused with the candidate code, naming the key")
  void badConfig(Vertx vertx) throws Exception {
    deployBlocking(vertx, "x");

    ReplyException refused =
        refusal(
            vertx,
            call(
                "t2",
                "hi",
                new JsonObject()
                    .put("class", "StringReplacementPolicy")
                    .put(
                        "config", new JsonObject().put("replacements", new JsonArray().add("a")))));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.CANDIDATE_REFUSED);
    assertThat(refused.getMessage())
        .contains("StringReplacementPolicy")
        .contains("replacements[0]");
  }

  @Test
  @DisplayName("a candidate naming no policy class is refused with the candidate code, naming it")
  void unknownClass(Vertx vertx) throws Exception {
    deployBlocking(vertx, "x");

    ReplyException refused =
        refusal(vertx, call("t3", "hi", new JsonObject().put("class", "NoSuchPolicy")));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.CANDIDATE_REFUSED);
    assertThat(refused.getMessage()).contains("candidate.class").contains("'NoSuchPolicy'");
  }
}
