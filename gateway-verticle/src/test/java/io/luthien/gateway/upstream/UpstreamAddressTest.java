package io.luthien.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UpstreamAddressTest {

  @Test
  @DisplayName("base URLs with and without port, path and trailing slash give the right endpoint")
  void parses() {
    assertThat(UpstreamAddress.parse("https://api.openai.com/v1", "/chat/completions"))
        .isEqualTo(new UpstreamAddress("api.openai.com", 443, true, "/v1/chat/completions"));
    assertThat(UpstreamAddress.parse("http://127.0.0.1:8080/v1/", "/chat/completions"))
        .isEqualTo(new UpstreamAddress("127.0.0.1", 8080, false, "/v1/chat/completions"));
    assertThat(UpstreamAddress.parse("http://vllm", "/chat/completions"))
        .isEqualTo(new UpstreamAddress("vllm", 80, false, "/chat/completions"));
  }

  @Test
  @DisplayName("a base URL that is not http(s) is refused at start with the URL in the message")
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> UpstreamAddress.parse("ftp://host/v1", "/x"))
        .hasMessageContaining("ftp://host/v1");
    assertThatThrownBy(() -> UpstreamAddress.parse("not a url", "/x"))
        .hasMessageContaining("not a url");
  }
}
