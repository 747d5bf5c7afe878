package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code luthien_proxy.policies.presets.no_yapping:NoYappingPolicy}:
 * enforces concise responses by removing filler, hedging, and unnecessary preamble.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.0, max_tokens
 * 4096 and on_error {@code pass}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class NoYappingPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Make the text more concise by removing filler and hedging. Remove: - Opening "
          + "pleasantries: 'Certainly!', 'Of course!', 'Great question!',   'Sure thing!', "
          + "'Absolutely!', 'Happy to help!' - Unnecessary preamble: 'Let me explain...', "
          + "'I'll walk you through...',   'Here's what I think...', 'To answer your "
          + "question...' - Excessive hedging: 'I think maybe', 'It might be possible that', "
          + "  'Perhaps you could consider' (keep one level of hedging if genuinely "
          + "uncertain) - Trailing summaries: 'Let me know if you have any questions',   'I "
          + "hope this helps!', 'Feel free to ask if...' Preserve all substantive content. "
          + "Do not change tool calls. If the text is already concise, pass unchanged.";

  public NoYappingPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.0, 4096, "pass");
  }
}
