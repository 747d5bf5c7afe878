package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code luthien_proxy.policies.presets.prefer_uv:PreferUvPolicy}: replaces
 * pip commands with uv equivalents in LLM responses.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code pass}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class PreferUvPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "If the text or tool call contains pip commands (pip install, pip freeze, pip "
          + "uninstall, pip list, pip show, python -m pip, etc.), replace them with their uv "
          + "equivalents (uv pip install, uv pip freeze, uv pip uninstall, uv pip list, uv "
          + "pip show, etc.). Also replace 'pip' references in explanatory text. If there "
          + "are no pip references, pass the block unchanged.";

  public PreferUvPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "pass");
  }
}
