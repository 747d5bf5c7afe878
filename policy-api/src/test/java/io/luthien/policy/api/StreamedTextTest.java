package io.luthien.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StreamedTextTest {

  static final UnaryOperator<String> MASK = text -> text.replace("secret", "******");

  static String stream(StreamedText streamed, List<String> pieces, List<String> out) {
    StringBuilder all = new StringBuilder();
    for (String piece : pieces) {
      String released = streamed.append(piece);
      out.add(released);
      all.append(released);
    }
    String rest = streamed.flush();
    out.add(rest);
    return all.append(rest).toString();
  }

  @Test
  @DisplayName(
      "for every split, the pieces add up to the whole transform and no piece ends in part of a match")
  void everySplit() {
    String text = "a secret, secrets and secretive; secret";
    for (int i = 0; i <= text.length(); i++) {
      for (int j = i; j <= text.length(); j++) {
        List<String> out = new ArrayList<>();
        List<String> released = new ArrayList<>();
        StreamedText streamed =
            new StreamedText(MASK, 6, (original, result) -> released.add(original));
        String all =
            stream(
                streamed,
                List.of(text.substring(0, i), text.substring(i, j), text.substring(j)),
                out);
        assertThat(all).isEqualTo(MASK.apply(text));
        assertThat(String.join("", released)).isEqualTo(text);
        assertThat(out).noneMatch(piece -> piece.endsWith("sec") || piece.endsWith("secre"));
      }
    }
  }

  @Test
  @DisplayName(
      "a cut finder's cut is verified: a wrong one holds the text rather than split a match")
  void cutFinderVerified() {
    StreamedText streamed = new StreamedText(MASK, pending -> 5, (o, r) -> {});
    assertThat(streamed.append("a secret b")).isEmpty();
    assertThat(streamed.held()).isEqualTo(10);
    assertThat(streamed.flush()).isEqualTo("a ****** b");
  }

  @Test
  @DisplayName("JSON strings are transformed decoded and written back as valid JSON, in any pieces")
  void jsonStrings() {
    UnaryOperator<String> quote = text -> text.replace("x", "\"\\\n");
    String json = "{\"a\":\"x\\ny\\u0078\",\"n\":12,\"b\":[true,null,\"\\\"x\\\\\"]}";
    String whole = StreamedText.JsonStrings.map(json, () -> new StreamedText(quote, 1), n -> n);
    assertThat(new io.vertx.core.json.JsonObject(whole).getString("a"))
        .isEqualTo("\"\\\n\ny\"\\\n");
    for (int i = 0; i <= json.length(); i++) {
      StreamedText.JsonStrings streamed =
          new StreamedText.JsonStrings(() -> new StreamedText(quote, 1), n -> n);
      String out =
          streamed.append(json.substring(0, i))
              + streamed.append(json.substring(i))
              + streamed.flush();
      assertThat(out).as("cut at %d", i).isEqualTo(whole);
    }
  }
}
