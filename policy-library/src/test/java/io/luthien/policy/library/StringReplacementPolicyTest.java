package io.luthien.policy.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Requests;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StringReplacementPolicyTest {

  static StringReplacementPolicy policy(JsonObject config) {
    return new StringReplacementPolicy(new PolicyConfig("StringReplacementPolicy", config));
  }

  static JsonObject replacements(String... fromTo) {
    JsonArray pairs = new JsonArray();
    for (int i = 0; i < fromTo.length; i += 2) {
      pairs.add(new JsonArray().add(fromTo[i]).add(fromTo[i + 1]));
    }
    return new JsonObject().put("replacements", pairs);
  }

  @Test
  @DisplayName("replaces literal strings in order, as luthien-proxy does")
  void literalInOrder() {
    StringReplacementPolicy policy =
        policy(replacements("foo", "bar", "hello", "goodbye", "[test]", "check"));
    assertThat(Streams.wholeText(policy, "hello foo [test] world"))
        .isEqualTo("goodbye bar check world");
    assertThat(Streams.wholeText(policy(replacements("foo", "barbar", "bar", "y")), "foobar"))
        .isEqualTo("yyy");
  }

  @Test
  @DisplayName("match_capitalization matches any case and gives the replacement the match's case")
  void matchCapitalization() {
    JsonObject config =
        replacements("cool", "radicAL", "hello", "hi").put("match_capitalization", true);
    assertThat(Streams.wholeText(policy(config), "cool COOL Cool cOOl / Hello HELLO hello"))
        .isEqualTo("radical RADICAL Radical rADicAL / Hi HI hi");
    assertThat(Streams.wholeText(policy(replacements("hello", "hi")), "Hello hello"))
        .isEqualTo("Hello hi");
  }

  @Test
  @DisplayName("streamed in any pieces, the answer is exactly the whole-text replacement")
  void streamsEqualWhole() {
    JsonObject config =
        replacements("Anthropic", "ACME", "models", "widgets", "a", "b")
            .put("match_capitalization", true);
    for (String sample :
        List.of("Anthropic makes great MODELS, anthropic models.", "aaaa Anthropi", "")) {
      String whole = Streams.wholeText(policy(config), sample);
      for (List<String> pieces : Streams.splits(sample)) {
        List<String> out = Streams.streamText(policy(config), pieces);
        assertThat(String.join("", out)).as("pieces %s", pieces).isEqualTo(whole);
        assertThat(out).noneMatch(chunk -> chunk.contains("Anthr") || chunk.contains("anthr"));
      }
    }
  }

  @Test
  @DisplayName(
      "pairs whose output feeds a later pair stream exactly like the whole text, at every split")
  void chainedPairsStreamEqualWhole() {
    for (JsonObject config :
        List.of(
            replacements("a", "b", "bc", "X"),
            replacements("foo", "barbar", "bar", "y"),
            replacements("ab", "c", "cd", "Y").put("match_capitalization", true))) {
      for (String sample : List.of("ac xac", "foobar fo obar", "aBd ab cd AB")) {
        String whole = Streams.wholeText(policy(config), sample);
        for (List<String> pieces : Streams.splits(sample)) {
          assertThat(String.join("", Streams.streamText(policy(config), pieces)))
              .as("%s in pieces %s", config, pieces)
              .isEqualTo(whole);
        }
      }
    }
  }

  @Test
  @DisplayName(
      "text that cannot begin a match goes out with its own chunk, not one chunk later; a possible start waits")
  void plainTextIsNotHeld() {
    JsonObject config = replacements("Anthropic", "ACME");

    List<String> out =
        Streams.streamText(policy(config), List.of("part0 ", "part1 ", "An", "thropic!"));

    // out[0] is the role chunk
    assertThat(out.subList(1, 3)).containsExactly("part0 ", "part1 ");
    assertThat(String.join("", out)).isEqualTo("part0 part1 ACME!");
    assertThat(out).noneMatch(chunk -> chunk.contains("An"));
  }

  @Test
  @DisplayName("apply_to: response by default, request, or both; tool calls are left alone")
  void applyTo() {
    JsonObject request = Streams.request("say foo");
    PolicyHarness responseOnly = new PolicyHarness(policy(replacements("foo", "bar")), request);
    assertThat(Streams.await(responseOnly.request()).request()).isEqualTo(request);

    StringReplacementPolicy both = policy(replacements("foo", "bar").put("apply_to", "both"));
    PolicyHarness harness = new PolicyHarness(both, request);
    assertThat(Requests.lastUserText(Streams.await(harness.request()).request()))
        .isEqualTo("say bar");
    assertThat(harness.context().events())
        .extracting(e -> e.type() + " " + e.data().getInteger("total_replacements"))
        .containsExactly("policy.string_replacement.request_modified 1");
    assertThat(Streams.wholeText(both, "foo")).isEqualTo("bar");
    assertThat(Streams.wholeArguments(both, "{\"a\":\"foo\"}")).isEqualTo("{\"a\":\"foo\"}");

    StringReplacementPolicy requestOnly =
        policy(replacements("foo", "bar").put("apply_to", "request"));
    assertThat(Streams.wholeText(requestOnly, "foo")).isEqualTo("foo");
  }

  @Test
  @DisplayName("a stream's replacements are counted in one event when it ends")
  void streamEvent() {
    PolicyHarness harness =
        new PolicyHarness(policy(replacements("hello", "bye")), Streams.request("hi"));
    Streams.await(harness.stream(Streams.textChunks(List.of("hel", "lo hello", " x"))));
    assertThat(harness.context().events()).hasSize(1);
    assertThat(harness.context().events().get(0).type())
        .isEqualTo("policy.string_replacement.response_modified");
    assertThat(harness.context().events().get(0).data().getInteger("total_replacements"))
        .isEqualTo(2);
  }

  @Test
  @DisplayName("a bad config is refused naming the key")
  void badConfigs() {
    assertRefused(
        new JsonObject(), "StringReplacementPolicy: config key 'replacements' is required");
    assertRefused(
        new JsonObject().put("replacements", new JsonArray().add(new JsonArray().add("foo"))),
        "config key 'replacements[0]' must be a [from, to] pair of two strings");
    assertRefused(
        new JsonObject()
            .put(
                "replacements",
                new JsonArray()
                    .add(new JsonArray().add("a").add("b"))
                    .add(new JsonArray().add("foo").add(123))),
        "config key 'replacements[1]' must be a [from, to] pair");
    assertRefused(replacements("", "x"), "config key 'replacements[0]' has an empty 'from'");
    assertRefused(
        replacements("a", "b").put("apply_to", "sideways"),
        "config key 'apply_to' must be one of request | response | both");
    assertRefused(
        replacements("a", "b").put("match_case", true),
        "config key 'match_case' is not a config key");
    assertRefused(
        new JsonObject().put("replacements", "a"), "config key 'replacements' must be a list");
  }

  static void assertRefused(JsonObject config, String message) {
    assertThatThrownBy(() -> policy(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
