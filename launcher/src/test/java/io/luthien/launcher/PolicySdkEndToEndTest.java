package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy SDK through a running all-in-one node, a real HTTP client and a fake OpenAI upstream:
 * one context per call, a stream a policy ends, a chain named the luthien-proxy way, and a judge's
 * model call through the gateway's own routes.
 */
class PolicySdkEndToEndTest {

  @TempDir Path dir;
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
  }

  @Test
  @DisplayName(
      "what the request hook stored is there in the response hook and at the end of the stream: one context per call")
  void stateFromRequestToAnswer() throws Exception {
    SdkNode node = start(policy(SdkTestPolicies.RemembersRequest.class.getName()));

    String whole = node.openAiText(node.chat("hello there", false));
    String streamed = node.openAiText(node.chat("stream please", true));

    assertThat(whole).endsWith(" (asked: hello there)");
    assertThat(streamed).endsWith(" (asked: stream please)");
  }

  @Test
  @DisplayName(
      "a policy that ends a stream gives an OpenAI client a last chunk with finish_reason stop and [DONE], and cancels the upstream")
  void endedStreamOpenAi() throws Exception {
    SdkNode node = start(policy(SdkTestPolicies.StopsAtThirdChunk.class.getName()));
    node.upstream().streamChunks(50, 20);

    HttpResponse<Buffer> response = node.post("/v1/chat/completions", node.chat("go", true));
    List<JsonObject> chunks = SdkNode.sseData(response.bodyAsString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString().strip()).endsWith("data: [DONE]");
    JsonObject last = chunks.get(chunks.size() - 1);
    assertThat(last.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
    assertThat(SdkNode.openAiStreamText(chunks)).endsWith(" [stopped by policy]");
    assertThat(chunks.size()).as("the stream stopped early, not after 50 chunks").isLessThan(10);
    assertThat(await(node.upstream().connectionClosedBeforeEnd()))
        .as("the upstream request was cancelled")
        .isNull();
  }

  @Test
  @DisplayName(
      "a policy that ends a stream gives an Anthropic client the block and message closed, stop_reason end_turn, message_stop")
  void endedStreamAnthropic() throws Exception {
    SdkNode node = start(policy(SdkTestPolicies.StopsAtThirdChunk.class.getName()));
    node.upstream().streamChunks(50, 20);
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put("max_tokens", 100)
            .put("stream", true)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "go")));

    HttpResponse<Buffer> response = node.post("/v1/messages", request);
    List<String> events = SdkNode.sseEventNames(response.bodyAsString());
    List<JsonObject> data = SdkNode.sseData(response.bodyAsString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(events).endsWith("content_block_stop", "message_delta", "message_stop");
    JsonObject messageDelta =
        data.stream().filter(d -> "message_delta".equals(d.getString("type"))).findFirst().get();
    assertThat(messageDelta.getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    StringBuilder text = new StringBuilder();
    data.stream()
        .filter(d -> "content_block_delta".equals(d.getString("type")))
        .forEach(d -> text.append(d.getJsonObject("delta").getString("text", "")));
    assertThat(text.toString()).endsWith(" [stopped by policy]");
  }

  @Test
  @DisplayName(
      "a chain of three named by luthien-proxy reference, full name and a plugin's simple name runs in order, each event naming its policy")
  void chainOfThreeWithPlugin() throws Exception {
    Path plugins = PluginJar.build(dir, "com.example.plugin", "ExclaimPolicy");
    Path file = dir.resolve("chain.yaml");
    Files.writeString(
        file,
        "policy:\n"
            + "  class: luthien_proxy.policies.multi_serial_policy:MultiSerialPolicy\n"
            + "  config:\n"
            + "    policies:\n"
            + "      - class: "
            + SdkTestPolicies.RemembersRequest.class.getName()
            + "\n"
            + "        config: {}\n"
            + "      - class: luthien_proxy.policies.all_caps_policy:AllCapsPolicy\n"
            + "        config: {}\n"
            + "      - class: ExclaimPolicy\n"
            + "        config: {marks: 3}\n");
    SdkNode node = start(file, "POLICY_PLUGINS_DIR", plugins.toString());

    String whole = node.openAiText(node.chat("why", false));
    String streamed = node.openAiText(node.chat("how", true));

    assertThat(whole).endsWith(" (ASKED: WHY)!!!");
    assertThat(streamed).endsWith(" (ASKED: HOW)!!!");
  }

  @Test
  @DisplayName(
      "a judge's model call goes through the gateway's routes to the upstream, its verdict reaches the answer, and it is recorded as a child of the call")
  void judgeCallsThroughTheGateway() throws Exception {
    SdkNode node = start(policy(SdkTestPolicies.AsksAJudge.class.getName()));

    HttpResponse<Buffer> response = node.post("/v1/chat/completions", node.chat("hi", false));
    String whole = NodeFixture.assistantText(response.bodyAsString(), false);
    String callId = response.getHeader("X-Call-ID");

    assertThat(whole).contains("[judge: ");
    JsonObject parent = node.recorded(callId, 4);
    JsonObject modelCall =
        parent.getJsonArray("events").stream()
            .map(JsonObject.class::cast)
            .filter(event -> "policy.model_call".equals(event.getString("event_type")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("payload")
            .getJsonObject("data");
    String childId = modelCall.getString("call_id");
    assertThat(modelCall.getString("model")).isEqualTo("judge-model");
    assertThat(modelCall.getInteger("status")).isEqualTo(200);
    assertThat(modelCall.getString("policy")).isEqualTo("AsksAJudge");
    JsonObject child = node.recorded(childId, 2);
    assertThat(child.getString("parent_call_id")).isEqualTo(callId);
    assertThat(child.getString("model")).isEqualTo("judge-model");
    assertThat(child.getInteger("status")).isEqualTo(200);
    assertThat(node.recorded(callId, 4).getJsonArray("model_calls")).containsExactly(childId);
    assertThat(node.upstream().requests())
        .extracting(request -> request.getString("model"))
        .containsExactly("gpt-4o-mini", "judge-model");
    assertThat(node.upstream().requests().get(1).encode()).contains("judge: ");
  }

  private Path policy(String className) throws Exception {
    Path file = dir.resolve("policy-" + System.nanoTime() + ".yaml");
    Files.writeString(file, "policy:\n  class: " + className + "\n  config: {}\n");
    return file;
  }

  private SdkNode start(Path policyFile, String... env) throws Exception {
    Vertx client = Vertx.vertx();
    started.add(client);
    FakeUpstream upstream = await(FakeUpstream.start(client));
    SdkNode node = SdkNode.start(client, WebClient.create(client), upstream, policyFile, env);
    started.add(node.vertx());
    return node;
  }
}
