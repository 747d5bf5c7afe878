package io.luthien.policy.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Requests;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.luthien.policy.api.RequestDecision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegexRedactionPolicyTest {

  static final String OPENAI = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Q7";
  static final String OPENAI_LEGACY = "sk-" + "a1B2c3D4e5F6g7H8".repeat(3);
  static final String ANTHROPIC = "sk-ant-api03-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0F-_ed";
  static final String AWS = "AKIAIOSFODNN7EXAMPLE";
  static final String GITHUB = "ghp_" + "0123456789abcdefghijABCDEFGHIJ012345";
  static final String GITHUB_PAT = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv";
  static final String SLACK = "xoxb-123456789012-abcdefghijKLMN";
  static final String GOOGLE = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
  static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  static final String PEM =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
          + "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----";
  static final String EMAIL = "jane.doe@example.com";
  static final String PHONE = "(415) 555-0132";
  static final String PHONE_INTL = "+44 20 7946 0958";
  static final String CARD = "4111 1111 1111 1111";
  static final String CARD_PLAIN = "5555555555554444";
  static final String IBAN = "GB82 WEST 1234 5698 7654 32";
  static final String SSN = "123-45-6789";
  static final String IP = "192.168.10.20";

  static final List<String> SECRETS =
      List.of(
          OPENAI,
          OPENAI_LEGACY,
          ANTHROPIC,
          AWS,
          GITHUB,
          GITHUB_PAT,
          SLACK,
          GOOGLE,
          JWT,
          PEM,
          EMAIL,
          PHONE,
          PHONE_INTL,
          CARD,
          CARD_PLAIN,
          IBAN,
          SSN,
          IP);

  @Test
  @DisplayName(
      "prose that cannot begin a secret goes out with its own chunk (every preset on), not one chunk later")
  void proseIsNotHeld() {
    List<String> out =
        Streams.streamText(
            policy(new JsonObject()), List.of("Hello there, ", "my friend. ", "See you soon."));

    // out[0] is the role chunk
    assertThat(out.subList(1, 3)).containsExactly("Hello there, ", "my friend. ");
  }

  static RegexRedactionPolicy policy(JsonObject config) {
    return new RegexRedactionPolicy(new PolicyConfig("RegexRedactionPolicy", config));
  }

  static RegexRedactionPolicy defaults() {
    return policy(new JsonObject());
  }

  @Test
  @DisplayName("every preset is redacted in a whole answer, and its type is named")
  void presetsInWholeAnswers() {
    Map<String, String> types =
        Map.ofEntries(
            Map.entry(OPENAI, "openai_api_key"),
            Map.entry(OPENAI_LEGACY, "openai_api_key"),
            Map.entry(ANTHROPIC, "anthropic_api_key"),
            Map.entry(AWS, "aws_access_key_id"),
            Map.entry(GITHUB, "github_token"),
            Map.entry(GITHUB_PAT, "github_token"),
            Map.entry(SLACK, "slack_token"),
            Map.entry(GOOGLE, "google_api_key"),
            Map.entry(JWT, "jwt"),
            Map.entry(PEM, "private_key"),
            Map.entry(EMAIL, "email"),
            Map.entry(PHONE, "phone"),
            Map.entry(PHONE_INTL, "phone"),
            Map.entry(CARD, "credit_card"),
            Map.entry(CARD_PLAIN, "credit_card"),
            Map.entry(IBAN, "iban"),
            Map.entry(SSN, "us_ssn"),
            Map.entry(IP, "ipv4"));
    types.forEach(
        (secret, type) ->
            assertThat(Streams.wholeText(defaults(), "use " + secret + " now."))
                .as(type)
                .isEqualTo("use [REDACTED:" + type + "] now."));
  }

  @Test
  @DisplayName("numbers that fail their checksum, and ordinary text, stay as they are")
  void checksumsAndNegatives() {
    for (String text :
        List.of(
            "card 4111 1111 1111 1112 fails Luhn",
            "order 4111111111111112 fails Luhn",
            "iban GB82 WEST 1234 5698 7654 33 fails mod 97",
            "sk-learn-compatible-estimator is a library name",
            "the ratio was 3.14 and version 1.2.3 shipped",
            "a 20-digit id 12345678901234567890 is not a card",
            "mail me at jane dot doe")) {
      assertThat(Streams.wholeText(defaults(), text)).isEqualTo(text);
    }
  }

  @Test
  @DisplayName(
      "streamed in any pieces, the answer is exactly the whole-text redaction and no chunk carries"
          + " a piece of a secret")
  void streamsEqualWholeAndNeverLeak() {
    List<String> samples =
        List.of(
            "Here is the key " + OPENAI + " and the card " + CARD + ".\n",
            "aws " + AWS + ", github " + GITHUB + "; slack " + SLACK + " ok",
            "token=" + JWT + "\n" + PEM + "\nthat was the key",
            "Call " + PHONE + " or " + PHONE_INTL + ", mail " + EMAIL + ", from " + IP,
            IBAN + " / " + SSN + " / " + CARD_PLAIN + " / " + GOOGLE,
            ANTHROPIC + " " + OPENAI_LEGACY + " " + GITHUB_PAT,
            "no secrets here, only 4111 1111 1111 1112 and a - dash --- and -----BEGIN nothing");
    for (String sample : samples) {
      String whole = Streams.wholeText(defaults(), sample);
      List<String> redacted = SECRETS.stream().filter(sample::contains).toList();
      for (String secret : redacted) {
        assertThat(whole).doesNotContain(secret);
      }
      for (List<String> pieces : Streams.splits(sample)) {
        List<String> out = Streams.streamText(defaults(), pieces);
        assertThat(String.join("", out)).as("pieces %s", pieces).isEqualTo(whole);
        for (String chunk : out) {
          for (String secret : redacted) {
            assertThat(leaksPrefix(chunk, secret)).as("chunk '%s' of %s", chunk, pieces).isFalse();
          }
        }
      }
    }
  }

  /** Whether {@code chunk} ends with, or holds, a start of {@code secret} of 5 or more chars. */
  static boolean leaksPrefix(String chunk, String secret) {
    for (int k = 5; k <= secret.length(); k++) {
      if (chunk.endsWith(secret.substring(0, k))) {
        return true;
      }
    }
    return chunk.contains(secret.substring(0, Math.min(secret.length(), 8)));
  }

  @Test
  @DisplayName("a stream holds back only what may still become a match")
  void holdsBackLittle() {
    List<String> out =
        Streams.streamText(defaults(), List.of("Hello there, ", "how are ", "you today? "));
    assertThat(out).contains("Hello there, ", "how are ");
  }

  @Test
  @DisplayName("tool-call arguments are redacted whole and streamed, and stay valid JSON")
  void toolCallArguments() {
    String arguments =
        new JsonObject()
            .put("command", "curl -H \"Authorization: Bearer " + OPENAI + "\" https://x")
            .put("key", PEM)
            .put("card", 4111111111111111L)
            .put("note", "caf\u00e9 \"quoted\" \\ back")
            .encode();
    String whole = Streams.wholeArguments(defaults(), arguments);
    JsonObject parsed = new JsonObject(whole);
    assertThat(parsed.getString("command"))
        .isEqualTo("curl -H \"Authorization: Bearer [REDACTED:openai_api_key]\" https://x");
    assertThat(parsed.getString("key")).isEqualTo("[REDACTED:private_key]");
    assertThat(parsed.getString("card")).isEqualTo("[REDACTED:credit_card]");
    assertThat(parsed.getString("note")).isEqualTo("caf\u00e9 \"quoted\" \\ back");
    for (List<String> pieces : Streams.splits(arguments)) {
      List<String> out = Streams.streamArguments(defaults(), pieces);
      assertThat(String.join("", out)).as("pieces %s", pieces).isEqualTo(whole);
      for (String chunk : out) {
        assertThat(chunk).doesNotContain(OPENAI.substring(0, 10)).doesNotContain("MIIBOg");
      }
    }
  }

  @Test
  @DisplayName("apply_to chooses the request, the answer or both; events name type and count")
  void applyToAndEvents() {
    JsonObject request = Streams.request("my key is " + AWS + " and " + AWS);
    PolicyHarness both = new PolicyHarness(defaults(), request);
    RequestDecision decision = Streams.await(both.request());
    assertThat(Requests.lastUserText(decision.request()))
        .isEqualTo("my key is [REDACTED:aws_access_key_id] and [REDACTED:aws_access_key_id]");
    assertThat(both.context().events())
        .containsExactly(
            new LocalPolicyContext.Event(
                "policy.redaction",
                "policy",
                new JsonObject()
                    .put("type", "aws_access_key_id")
                    .put("count", 2)
                    .put("where", "request")));

    PolicyHarness responseOnly =
        new PolicyHarness(policy(new JsonObject().put("apply_to", "response")), request);
    assertThat(Streams.await(responseOnly.request()).request()).isEqualTo(request);

    RegexRedactionPolicy requestOnly = policy(new JsonObject().put("apply_to", "request"));
    assertThat(Streams.wholeText(requestOnly, "mail " + EMAIL)).isEqualTo("mail " + EMAIL);
  }

  @Test
  @DisplayName("a stream's redactions are one event per type when it ends; never the secret")
  void streamEvents() {
    PolicyHarness harness = new PolicyHarness(defaults(), Streams.request("hi"));
    Streams.await(
        harness.stream(
            Streams.textChunks(
                List.of("a " + EMAIL.substring(0, 5), EMAIL.substring(5) + " b " + EMAIL))));
    assertThat(harness.context().events())
        .extracting(e -> e.data().encode())
        .containsExactly("{\"type\":\"email\",\"count\":2,\"where\":\"stream\"}");
  }

  @Test
  @DisplayName("presets, own patterns and the replacement are configurable")
  void customConfig() {
    RegexRedactionPolicy policy =
        policy(
            new JsonObject()
                .put("presets", new JsonArray().add("email"))
                .put(
                    "patterns",
                    new JsonArray()
                        .add(
                            new JsonObject().put("name", "ticket").put("regex", "TICKET-\\d{4,8}")))
                .put("replacement", "<{type}>"));
    assertThat(Streams.wholeText(policy, "TICKET-12345 from " + EMAIL + " at " + IP))
        .isEqualTo("<ticket> from <email> at " + IP);
  }

  @Test
  @DisplayName("a bad config is refused naming the key")
  void badConfigs() {
    assertRefused(
        new JsonObject()
            .put(
                "patterns",
                new JsonArray()
                    .add(new JsonObject().put("name", "a").put("regex", "x"))
                    .add(new JsonObject().put("name", "b").put("regex", "(unclosed"))),
        "RegexRedactionPolicy: config key 'patterns[1].regex' is not a valid regex");
    assertRefused(
        new JsonObject().put("patterns", new JsonArray().add(new JsonObject().put("regex", "x"))),
        "config key 'patterns[0].name' is required");
    assertRefused(
        new JsonObject()
            .put(
                "patterns",
                new JsonArray().add(new JsonObject().put("name", "e").put("regex", "a*"))),
        "config key 'patterns[0].regex' matches the empty string");
    assertRefused(
        new JsonObject()
            .put(
                "patterns",
                new JsonArray()
                    .add(new JsonObject().put("name", "e").put("regex", "a").put("flags", "i"))),
        "config key 'patterns[0]' has an unknown key: flags");
    assertRefused(
        new JsonObject().put("presets", new JsonArray().add("secrets").add("passwords")),
        "config key 'presets[1]' is not a preset: 'passwords'");
    assertRefused(
        new JsonObject().put("apply_to", "sideways"), "config key 'apply_to' must be one of");
    assertRefused(
        new JsonObject().put("replacment", "x"), "config key 'replacment' is not a config key");
    assertRefused(new JsonObject().put("presets", new JsonArray()), "config key 'presets'");
  }

  static void assertRefused(JsonObject config, String message) {
    assertThatThrownBy(() -> policy(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
