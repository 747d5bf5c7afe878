package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code
 * luthien_proxy.policies.presets.block_web_requests:BlockWebRequestsPolicy}: blocks curl, wget,
 * fetch, and similar network request tool calls.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code block}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class BlockWebRequestsPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Block tool calls that make outbound network requests. This includes commands "
          + "containing: curl, wget, fetch, httpie (http/https commands), nc (netcat), ncat, "
          + "socat, telnet, ssh, scp, rsync (to remote hosts), python -c with "
          + "urllib/requests/httpx, node -e with fetch/http, or any command that sends data "
          + "to an external URL. When blocking, replace with a text block: '[BLOCKED] "
          + "Network request detected: <command>. Outbound network requests are blocked by "
          + "the safety policy.' Text blocks that discuss or explain these commands should "
          + "pass unchanged. Only block actual tool_use calls that would execute them.";

  public BlockWebRequestsPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "block");
  }
}
