package io.luthien.policy.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DebugLoggingPolicyTest {

  static DebugLoggingPolicy policy(JsonObject config) {
    return new DebugLoggingPolicy(new PolicyConfig("DebugLoggingPolicy", config));
  }

  @Test
  @DisplayName("records request, answer and stream as bounded events and changes nothing")
  void recordsAndPasses() {
    DebugLoggingPolicy policy =
        policy(new JsonObject().put("preview_chars", 5).put("max_chunk_events", 2));
    JsonObject request = Streams.request("a long question");
    PolicyHarness harness = new PolicyHarness(policy, request);
    assertThat(Streams.await(harness.request()).request()).isEqualTo(request);
    JsonObject answer = Streams.answer("a long answer");
    assertThat(Streams.await(harness.response(answer))).isEqualTo(answer);
    List<JsonObject> chunks = Streams.textChunks(Collections.nCopies(10, "piece "));
    assertThat(Streams.await(harness.stream(chunks)).chunks()).isEqualTo(chunks);

    assertThat(harness.context().events())
        .extracting(e -> e.type())
        .containsExactly(
            "policy.debug.request",
            "policy.debug.response",
            "policy.debug.chunk",
            "policy.debug.chunk",
            "policy.debug.stream_end");
    assertThat(harness.context().events().get(0).data().getString("last_user_text"))
        .isEqualTo("a lon…");
    assertThat(harness.context().events().get(1).data().getInteger("text_length")).isEqualTo(13);
    JsonObject end = harness.context().events().get(4).data();
    assertThat(end.getInteger("chunks")).isEqualTo(12);
    assertThat(end.getInteger("text_length")).isEqualTo(60);
    assertThat(end.getJsonArray("finish_reasons")).containsExactly("stop");
  }
}
