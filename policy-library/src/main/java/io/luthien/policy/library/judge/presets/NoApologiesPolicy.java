package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code luthien_proxy.policies.presets.no_apologies:NoApologiesPolicy}:
 * removes apologetic filler like 'I apologize' and 'I'm sorry' from responses.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code pass}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class NoApologiesPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Remove apologetic filler phrases from text content. This includes: 'I "
          + "apologize', 'I'm sorry', 'Sorry about that', 'My apologies', 'I apologize for "
          + "the confusion', 'I'm sorry for the error', 'Sorry for the inconvenience', and "
          + "similar phrases. Remove the entire sentence containing the apology if the "
          + "sentence is purely apologetic. If the apology is embedded in a useful sentence, "
          + "rewrite the sentence without the apology while preserving the useful content. "
          + "Do not change tool calls. If there are no apologies, pass unchanged.";

  public NoApologiesPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "pass");
  }
}
