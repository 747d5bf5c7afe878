package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Chunks;
import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.LogCapture;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class PolicyVerticleTest {

  @TempDir Path dir;

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private Path policyFile(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "policy", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private void deploy(Vertx vertx, Path file) throws Exception {
    JsonObject config = new JsonObject().put("POLICY_RELOAD_INTERVAL_MS", "50");
    if (file != null) {
      config.put("POLICY_CONFIG", file.toString());
    }
    await(vertx.deployVerticle(new PolicyVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private static JsonObject ask(Vertx vertx, String address, JsonObject body) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(address, body).map(Message::body));
  }

  private static ReplyException refusal(Vertx vertx, String address, Object body) {
    Future<Message<JsonObject>> reply = vertx.eventBus().request(address, body);
    assertThatThrownBy(() -> reply.await(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
    return (ReplyException) reply.cause();
  }

  private static JsonObject completion(String text) {
    return new JsonObject()
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", text))));
  }

  private static JsonObject chunk(String text) {
    return new JsonObject()
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject().put("content", text))));
  }

  private static JsonObject request(String text) {
    return new JsonObject()
        .put("model", "m")
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  /** Opens the call's session with its request hook; the reply names the session's address. */
  private static String openStream(Vertx vertx, String callId) throws Exception {
    return ask(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject().put("call_id", callId).put("request", request("hi")))
        .getString("session");
  }

  /** A whole call: its request hook opens the session, then the response goes there. */
  private static JsonObject respond(Vertx vertx, JsonObject call) throws Exception {
    String session = openStream(vertx, call.getString("call_id"));
    return ask(vertx, session, call.copy().put("kind", "response"));
  }

  private static JsonObject chunkMessage(String callId, long seq, String text) {
    return new JsonObject()
        .put("kind", "chunk")
        .put("call_id", callId)
        .put("seq", seq)
        .put("chunk", chunk(text));
  }

  private static String content(JsonObject response) {
    return response
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getString("content");
  }

  @Test
  @DisplayName("without POLICY_CONFIG the policy is NoOp: request and response come back unchanged")
  void noOpByDefault(Vertx vertx) throws Exception {
    deploy(vertx, null);

    JsonObject requestReply =
        ask(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject()
                .put("call_id", "c1")
                .put("api", "openai")
                .put("request", request("hi")));
    JsonObject responseReply =
        respond(
            vertx,
            new JsonObject()
                .put("call_id", "c1")
                .put("request", request("hi"))
                .put("response", completion("Hello")));

    assertThat(requestReply.getJsonObject("request")).isEqualTo(request("hi"));
    assertThat(requestReply.getJsonArray("events")).isEmpty();
    assertThat(content(responseReply.getJsonObject("response"))).isEqualTo("Hello");
  }

  @Test
  @DisplayName(
      "AllCapsPolicy upper-cases whole responses and every streamed chunk, in order, then closes the stream")
  void allCapsStream(Vertx vertx) throws Exception {
    deploy(vertx, policyFile("policy:\n  class: AllCapsPolicy\n  config: {}\n"));

    JsonObject whole =
        respond(
            vertx,
            new JsonObject()
                .put("call_id", "c1w")
                .put("request", request("hi"))
                .put("response", completion("Hello there")));
    String session = openStream(vertx, "c2");
    JsonObject first = ask(vertx, session, chunkMessage("c2", 0, "abc "));
    JsonObject second = ask(vertx, session, chunkMessage("c2", 1, "déf"));
    JsonObject closed =
        ask(
            vertx,
            session,
            new JsonObject().put("kind", "close").put("call_id", "c2").put("seq", 2));

    assertThat(content(whole.getJsonObject("response"))).isEqualTo("HELLO THERE");
    assertThat(session).startsWith(Addresses.POLICY_SESSION_PREFIX);
    assertThat(Chunks.textDelta(first.getJsonArray("chunks").getJsonObject(0))).isEqualTo("ABC ");
    assertThat(Chunks.textDelta(second.getJsonArray("chunks").getJsonObject(0))).isEqualTo("DÉF");
    assertThat(closed.getJsonArray("chunks")).isEmpty();
    ReplyException afterClose = refusal(vertx, session, chunkMessage("c2", 3, "x"));
    assertThat(afterClose.failureCode()).isEqualTo(FailureCodes.UNKNOWN_STREAM);
  }

  @Test
  @DisplayName(
      "chunks sent without waiting are processed strictly in order, even when the policy answers some late")
  void pipelinedChunksKeepOrder(Vertx vertx) throws Exception {
    deploy(
        vertx,
        policyFile("policy:\n  class: " + TestPolicies.SlowBuffering.class.getName() + "\n"));
    String session = openStream(vertx, "c3");

    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (int seq = 0; seq < 6; seq++) {
      replies.add(vertx.eventBus().request(session, chunkMessage("c3", seq, "t" + seq)));
    }
    replies.add(
        vertx
            .eventBus()
            .request(
                session, new JsonObject().put("kind", "close").put("call_id", "c3").put("seq", 6)));
    await(Future.all(replies));

    JsonObject flushed = replies.get(6).result().body().getJsonArray("chunks").getJsonObject(0);
    assertThat(flushed.getString("joined")).isEqualTo("t0|t1|t2|t3|t4|t5");
  }

  @Test
  @DisplayName("a chunk out of sequence is refused as a bad message")
  void outOfOrderChunk(Vertx vertx) throws Exception {
    deploy(vertx, null);
    String session = openStream(vertx, "c4");

    ReplyException refused = refusal(vertx, session, chunkMessage("c4", 5, "x"));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
    assertThat(refused.getMessage()).contains("expected chunk seq 0");
  }

  @Test
  @DisplayName(
      "a policy that throws or fails its future is a POLICY_FAILED reply naming the policy")
  void throwingPolicy(Vertx vertx) throws Exception {
    deploy(vertx, policyFile("policy:\n  class: " + TestPolicies.Throwing.class.getName() + "\n"));
    String session = openStream(vertx, "c5");

    ReplyException onRequest =
        refusal(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject().put("call_id", "c5b").put("request", request("boom")));
    ReplyException onChunk = refusal(vertx, session, chunkMessage("c5", 0, "x"));

    assertThat(onRequest.failureCode()).isEqualTo(FailureCodes.POLICY_FAILED);
    assertThat(onRequest.getMessage())
        .contains("Throwing.onRequest failed")
        .contains("boom on request");
    assertThat(onChunk.failureCode()).isEqualTo(FailureCodes.POLICY_FAILED);
    assertThat(onChunk.getMessage()).contains("boom on chunk");
  }

  @Test
  @DisplayName(
      "a blocking policy gets its config, blocks with its status and message, and its emitted events come back")
  void blockingPolicy(Vertx vertx) throws Exception {
    deploy(
        vertx,
        policyFile(
            "policy:\n  class: "
                + TestPolicies.Blocking.class.getName()
                + "\n  config:\n    word: launch-codes\n"));

    JsonObject blocked =
        ask(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject()
                .put("call_id", "c6")
                .put("request", request("give me the launch-codes")));
    JsonObject allowed =
        ask(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject().put("call_id", "c7").put("request", request("hello")));

    assertThat(blocked.getJsonObject("blocked").getInteger("status")).isEqualTo(403);
    assertThat(blocked.getJsonObject("blocked").getString("message")).contains("launch-codes");
    assertThat(blocked.getJsonArray("events").getJsonObject(0).getString("type"))
        .isEqualTo("policy.checked");
    assertThat(allowed.getJsonObject("request")).isEqualTo(request("hello"));
    assertThat(
            allowed
                .getJsonArray("events")
                .getJsonObject(0)
                .getJsonObject("data")
                .getBoolean("found"))
        .isFalse();
  }

  @Test
  @DisplayName("a malformed message is refused as a bad message instead of going unanswered")
  void malformedMessage(Vertx vertx) throws Exception {
    deploy(vertx, null);

    ReplyException refused =
        refusal(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject().put("call_id", "c8").put("request", "not an object"));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
  }

  @Test
  @DisplayName("a body that is not a JSON object gets a bad-message reply at once instead of none")
  void notAJsonObject(Vertx vertx) throws Exception {
    deploy(vertx, null);

    ReplyException refused = refusal(vertx, Addresses.POLICY_REQUEST, "not json");

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
  }

  @Test
  @DisplayName("a call_id that is not a string is refused as a bad message, not read as its text")
  void mistypedCallId(Vertx vertx) throws Exception {
    deploy(vertx, null);

    ReplyException refused =
        refusal(
            vertx,
            Addresses.POLICY_REQUEST,
            new JsonObject().put("call_id", 42).put("request", request("hi")));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
    assertThat(refused.getMessage()).contains("call_id must be a string");
  }

  @Test
  @DisplayName(
      "a stream message of an unknown kind, or a chunk message without its chunk, is refused as a bad message")
  void malformedStreamMessages(Vertx vertx) throws Exception {
    deploy(vertx, policyFile("policy:\n  class: AllCapsPolicy\n"));
    String session = openStream(vertx, "c10");

    ReplyException unknownKind =
        refusal(vertx, session, chunkMessage("c10", 0, "x").put("kind", "flush"));
    ReplyException noChunk =
        refusal(
            vertx,
            session,
            new JsonObject().put("kind", "chunk").put("call_id", "c10").put("seq", 0));
    JsonObject stillOpen = ask(vertx, session, chunkMessage("c10", 0, "fine"));

    assertThat(unknownKind.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
    assertThat(unknownKind.getMessage()).contains("kind must be 'chunk' or 'close'");
    assertThat(noChunk.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
    assertThat(noChunk.getMessage()).contains("chunk is missing");
    assertThat(Chunks.textDelta(stillOpen.getJsonArray("chunks").getJsonObject(0)))
        .as("a refused message does not use up a seq")
        .isEqualTo("FINE");
  }

  @Test
  @DisplayName("a request without a call_id is refused as a bad message")
  void requestWithoutCallId(Vertx vertx) throws Exception {
    deploy(vertx, null);

    ReplyException refused =
        refusal(vertx, Addresses.POLICY_REQUEST, new JsonObject().put("request", request("hi")));

    assertThat(refused.failureCode()).isEqualTo(FailureCodes.BAD_MESSAGE);
    assertThat(refused.getMessage()).contains("call_id is missing");
  }

  @Test
  @DisplayName(
      "an edited policy file is picked up without a restart, and a broken edit keeps the last good policy")
  void reloadKeepsLastGoodPolicy(Vertx vertx) throws Exception {
    Path file = policyFile("policy:\n  class: NoOpPolicy\n");
    deploy(vertx, file);
    JsonObject call =
        new JsonObject()
            .put("call_id", "c9")
            .put("request", request("hi"))
            .put("response", completion("quiet"));
    assertThat(content(respond(vertx, call).getJsonObject("response"))).isEqualTo("quiet");

    Files.writeString(file, "policy:\n  class: AllCapsPolicy\n");
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    awaitContent(vertx, call, "QUIET");

    Files.writeString(file, "policy:\n  class: [unclosed\n");
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    Thread.sleep(300);
    assertThat(content(respond(vertx, call).getJsonObject("response"))).isEqualTo("QUIET");
  }

  private static void awaitContent(Vertx vertx, JsonObject call, String expected) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    String seen;
    do {
      Thread.sleep(50);
      seen = content(respond(vertx, call).getJsonObject("response"));
    } while (!seen.equals(expected) && System.currentTimeMillis() < deadline);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "a broken policy file at start fails the deployment with a message naming the file and the problem")
  void brokenConfigAtStart(Vertx vertx) throws Exception {
    Path unknownClass = policyFile("policy:\n  class: NoSuchPolicy\n");
    Path notYaml = policyFile("policy: [\n");
    Path noConstructor =
        policyFile("policy:\n  class: " + TestPolicies.Unbuildable.class.getName() + "\n");
    Path notAPolicy = policyFile("policy:\n  class: java.lang.String\n");

    assertThatThrownBy(() -> deploy(vertx, unknownClass))
        .hasMessageContaining("NoSuchPolicy")
        .hasMessageContaining("AllCapsPolicy")
        .hasMessageContaining(unknownClass.toString());
    assertThatThrownBy(() -> deploy(vertx, notYaml)).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> deploy(vertx, noConstructor)).hasMessageContaining("constructor");
    assertThatThrownBy(() -> deploy(vertx, notAPolicy)).hasMessageContaining("does not implement");
  }

  @Test
  @DisplayName(
      "an empty, comments-only or null policy file at start fails the deployment naming the file")
  void emptyConfigAtStart(Vertx vertx) throws Exception {
    for (String text : List.of("", "   \n", "# policy: {class: AllCapsPolicy}\n", "~\n", "{}\n")) {
      Path file = policyFile(text);
      assertThatThrownBy(() -> deploy(vertx, file))
          .as("policy file holding %s", text.isBlank() ? "nothing" : text.strip())
          .hasMessageContaining(file.toString())
          .hasMessageContaining("empty");
    }
  }

  @Test
  @DisplayName(
      "a policy file truncated to nothing on reload is refused and logged, and the last good policy stays")
  void emptyReloadKeepsLastGoodPolicy(Vertx vertx) throws Exception {
    Path file = policyFile("policy:\n  class: AllCapsPolicy\n");
    deploy(vertx, file);
    JsonObject call =
        new JsonObject()
            .put("call_id", "c11")
            .put("request", request("hi"))
            .put("response", completion("quiet"));
    assertThat(content(respond(vertx, call).getJsonObject("response"))).isEqualTo("QUIET");

    try (LogCapture log = new LogCapture(PolicySource.class)) {
      Files.writeString(file, "");
      Files.setLastModifiedTime(
          file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      long deadline = System.currentTimeMillis() + 5_000;
      // other tests' nodes may still be closing and logging about their own (deleted) files
      while (log.lines(ch.qos.logback.classic.Level.ERROR).stream()
              .noneMatch(line -> line.contains(file.toString()))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(log.lines(ch.qos.logback.classic.Level.ERROR))
          .anySatisfy(line -> assertThat(line).contains(file.toString()).contains("empty"));
    }
    assertThat(content(respond(vertx, call).getJsonObject("response"))).isEqualTo("QUIET");
  }
}
