package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bodies built to hurt: nesting deep enough to overflow a recursive parser, form-encoded bodies,
 * wrong types. Each is refused with a 4xx in the client's error shape, and no error body names a
 * Java class.
 */
@ExtendWith(VertxExtension.class)
class HostileBodyTest {

  private static final String OPENAI = "/v1/chat/completions";
  private static final String ANTHROPIC = "/v1/messages";
  private static final String COUNT_TOKENS = "/v1/messages/count_tokens";
  private static final String CLAUDE = "claude-sonnet-4-5";

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture gateway(Vertx vertx, JsonObject extra) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret")
            .mergeIn(extra));
  }

  /** A valid request for {@code path} whose dummy field makes the whole body {@code depth} deep. */
  private static String nested(String path, int depth) {
    String model = path.equals(OPENAI) ? "gpt-4o" : CLAUDE;
    String maxTokens = path.equals(ANTHROPIC) ? ",\"max_tokens\":16" : "";
    // the body's own object is level 1; the dummy adds depth - 1 levels, strings with brackets
    // and escaped quotes in between must not count
    String dummy = "[\"[{\\\"\",".repeat(depth - 1) + "0" + "]".repeat(depth - 1);
    return "{\"model\":\""
        + model
        + "\""
        + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"dummy\":"
        + dummy
        + "}";
  }

  private static HttpResponse<Buffer> post(
      GatewayFixture gateway, String path, String contentType, String body) {
    var request = gateway.web.post(path).putHeader("anthropic-version", "2023-06-01");
    if (contentType != null) {
      request.putHeader("content-type", contentType);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private static HttpResponse<Buffer> postJson(GatewayFixture gateway, String path, String body) {
    return post(gateway, path, "application/json", body);
  }

  /** The error object of either API's shape. */
  private static JsonObject error(String path, HttpResponse<Buffer> response) {
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
    JsonObject body = response.bodyAsJsonObject();
    if (path.startsWith(ANTHROPIC)) {
      assertThat(body.getString("type")).isEqualTo("error");
    }
    JsonObject error = body.getJsonObject("error");
    assertThat(error.getString("type")).isNotBlank();
    assertThat(error.getString("message")).isNotBlank();
    return error;
  }

  @Test
  @DisplayName(
      "a body nested 990 deep is a 400 nesting_too_deep on every API, and nothing reaches an upstream")
  void deepNestingRefused(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());

    for (String path : List.of(OPENAI, ANTHROPIC, COUNT_TOKENS)) {
      HttpResponse<Buffer> response = postJson(gateway, path, nested(path, 990));

      assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(400);
      JsonObject error = error(path, response);
      assertThat(error.getString("message")).contains("200");
      if (!path.startsWith(ANTHROPIC)) {
        assertThat(error.getString("code")).isEqualTo("nesting_too_deep");
      } else {
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).contains("nested");
      }
    }
    assertThat(gateway.upstream.requests()).isEmpty();
    assertThat(anthropic.requests()).isEmpty();
    assertThat(gateway.policy.received).isEmpty();
  }

  @Test
  @DisplayName("a body exactly at the default depth limit (200) goes through on every API")
  void atTheLimitPasses(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());

    for (String path : List.of(OPENAI, ANTHROPIC, COUNT_TOKENS)) {
      HttpResponse<Buffer> response = postJson(gateway, path, nested(path, 200));
      assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    }
    assertThat(gateway.upstream.requests()).hasSize(1);
    assertThat(anthropic.requests()).hasSize(2);
  }

  @Test
  @DisplayName("MAX_JSON_DEPTH sets the limit: one level over it is refused, at it passes")
  void depthIsASetting(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject().put("MAX_JSON_DEPTH", "12"));

    HttpResponse<Buffer> over = postJson(gateway, OPENAI, nested(OPENAI, 13));
    HttpResponse<Buffer> at = postJson(gateway, OPENAI, nested(OPENAI, 12));

    assertThat(over.statusCode()).isEqualTo(400);
    assertThat(error(OPENAI, over).getString("code")).isEqualTo("nesting_too_deep");
    assertThat(at.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("\"stream\": \"yes\" on /v1/messages is the documented 400 invalid_type on stream")
  void anthropicStreamNotBoolean(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());

    HttpResponse<Buffer> response =
        postJson(
            gateway,
            ANTHROPIC,
            "{\"model\":\""
                + CLAUDE
                + "\",\"max_tokens\":16,\"stream\":\"yes\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(error(ANTHROPIC, response).getString("message")).contains("'stream'");
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "a form-encoded or multipart body, small or over 1 KiB, is a 415 telling the client to send JSON")
  void formBodiesRefused(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());
    String small = nested(OPENAI, 2);
    String big =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}"
            .formatted("x".repeat(4096));

    for (String path : List.of(OPENAI, ANTHROPIC, COUNT_TOKENS)) {
      for (String type :
          List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=zz")) {
        for (String body : List.of(small, big)) {
          HttpResponse<Buffer> response = post(gateway, path, type, body);
          assertThat(response.statusCode())
              .as(path + " " + type + ": " + response.bodyAsString())
              .isEqualTo(415);
          assertThat(error(path, response).getString("message")).contains("application/json");
        }
      }
    }
    assertThat(gateway.upstream.requests()).isEmpty();
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "no error body on either API names a Java class, whatever wrong types or content types come in")
  void noJavaInErrorBodies(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());
    String hi = "[{\"role\":\"user\",\"content\":\"hi\"}]";
    List<String> bodies =
        List.of(
            "null",
            "[]",
            "[1,2]",
            "42",
            "\"text\"",
            "true",
            "",
            "{",
            "{\"model\":42,\"messages\":" + hi + ",\"max_tokens\":16}",
            "{\"model\":{\"a\":1},\"messages\":" + hi + ",\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":{},\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":[null],\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":7,\"content\":\"hi\"}],\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":5}],\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[5]}],\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"stream\":\"yes\",\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"stream\":1,\"max_tokens\":16}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":\"16\"}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":1e400}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":" + "9".repeat(40) + "}",
            "{\"model\":\"gpt-4o\",\"messages\":"
                + hi
                + ",\"max_tokens\":"
                + "9".repeat(2000)
                + "}",
            "{\"model\":\"gpt-4o\",\"messages\":"
                + hi
                + ",\"max_tokens\":16,\"temperature\":\"hot\"}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":16,\"n\":\"2\"}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":16,\"tools\":\"x\"}",
            "{\"model\":\"gpt-4o\",\"messages\":" + hi + ",\"max_tokens\":16,\"system\":5}",
            "{\"model\":\"" + CLAUDE + "\",\"messages\":" + hi + ",\"max_tokens\":16,\"system\":5}",
            "{\"model\":\""
                + CLAUDE
                + "\",\"messages\":"
                + hi
                + ",\"max_tokens\":16,\"tools\":[1]}",
            "{\"model\":\""
                + CLAUDE
                + "\",\"messages\":"
                + hi
                + ",\"stream\":\"yes\",\"max_tokens\":16}",
            nested(OPENAI, 990));
    List<String> types =
        List.of(
            "application/json",
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz");
    List<String> leaks = new ArrayList<>();
    for (String path : List.of(OPENAI, ANTHROPIC, COUNT_TOKENS)) {
      for (String type : types) {
        for (String body : bodies) {
          HttpResponse<Buffer> response = post(gateway, path, type, body);
          String text = response.bodyAsString();
          if (response.statusCode() == 500
              || text.contains("java.")
              || text.contains("io.vertx")
              || text.contains("Exception")
              || text.contains("StreamRead")
              || text.contains("Source:")) {
            leaks.add(
                path
                    + " "
                    + type
                    + " "
                    + abbreviate(body)
                    + " → "
                    + response.statusCode()
                    + " "
                    + text);
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static String abbreviate(String body) {
    return body.length() > 80 ? body.substring(0, 80) + "…" : body;
  }
}
