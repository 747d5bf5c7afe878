package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code luthien_proxy.policies.presets.plain_dashes:PlainDashesPolicy}:
 * replaces em-dashes and en-dashes with plain hyphens in LLM responses.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code pass}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class PlainDashesPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Replace all em-dashes (\u2014) and en-dashes (\u2013) with regular hyphens/dashes (-). Do "
          + "not change any other content. If there are no em-dashes or en-dashes, pass the "
          + "block unchanged.";

  public PlainDashesPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "pass");
  }
}
