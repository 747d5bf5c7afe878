package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code
 * luthien_proxy.policies.presets.block_dangerous_commands:BlockDangerousCommandsPolicy}: blocks
 * dangerous shell commands like rm -rf, chmod 777, mkfs, and dd.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code block}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class BlockDangerousCommandsPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Examine tool calls for dangerous shell commands. Block any tool call that "
          + "contains: rm -rf, rm -r (on broad paths like / or ~), chmod 777, chmod -R 777, "
          + "mkfs, dd if=, fdisk, parted, shred, wipefs, :(){ :|:& };: (fork bomb), > "
          + "/dev/sda, or similar destructive operations. For text blocks mentioning these "
          + "commands in explanations, pass them unchanged. Only block actual tool_use calls "
          + "that would execute them. When blocking, replace with a text block explaining: "
          + "'[BLOCKED] Dangerous command detected: <command>. This command was blocked by "
          + "the safety policy.' If the tool call is safe, pass it unchanged.";

  public BlockDangerousCommandsPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "block");
  }
}
