package io.luthien.policy.library.judge.presets;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.library.judge.SimpleLLMPolicy;

/**
 * luthien-proxy's preset {@code luthien_proxy.policies.presets.deai:DeAIPolicy}: rewrites LLM
 * responses to remove common AI writing patterns.
 *
 * <p>A {@link SimpleLLMPolicy} with luthien-proxy's fixed instructions, temperature 0.3, max_tokens
 * 8192 and on_error {@code pass}; {@code model}, {@code on_error}, {@code temperature}, {@code
 * max_tokens}, {@code max_retries}, {@code retry_delay} and {@code timeout} may still be set.
 */
public final class DeAIPolicy extends SimpleLLMPolicy {

  static final String INSTRUCTIONS =
      "Rewrite text content to sound naturally human-written, removing common AI "
          + "writing patterns while preserving meaning and technical accuracy. The patterns "
          + "to eliminate:\n"
          + "\n"
          + "Content patterns:\n"
          + "- Undue emphasis on significance/legacy: \"stands as\", \"testament\", \"crucial\", "
          + "\"pivotal\", \"underscores\"\n"
          + "- Notability inflation: claiming broad recognition without evidence\n"
          + "- Superficial -ing analyses: present-participle phrases tacked on for fake "
          + "depth (\"symbolizing\", \"reflecting\")\n"
          + "- Promotional language: \"vibrant\", \"breathtaking\", \"nestled\", \"stunning\", "
          + "\"renowned\"\n"
          + "- Vague attributions: \"Experts argue\", \"Industry reports\", \"Some critics\"\n"
          + "- Formulaic sections: generic \"Challenges and Future Prospects\" outlines\n"
          + "\n"
          + "Language and grammar:\n"
          + "- Overused AI vocabulary: additionally, align, crucial, delve, enhance, "
          + "fostering, garner, highlight, interplay, intricate, landscape, pivotal, "
          + "showcase, tapestry, testament, underscore, valuable, vibrant, multifaceted, "
          + "comprehensive, innovative, leverage, streamline, utilize, cutting-edge, "
          + "paradigm, holistic, synergy\n"
          + "- Copula avoidance: \"serves as\", \"stands as\", \"features\", \"boasts\" instead of "
          + "plain \"is/are\"\n"
          + "- Negative parallelisms: \"Not only...but...\" or \"It's not just...it's...\" "
          + "constructions\n"
          + "- Rule-of-three overuse: forcing ideas into groups of three\n"
          + "- Elegant variation: excessive synonym cycling to avoid repeating a word\n"
          + "- False ranges: \"From X to Y\" where X and Y aren't on a meaningful scale\n"
          + "\n"
          + "Style:\n"
          + "- Em-dash overuse, excessive boldface, inline-header vertical lists, Title Case "
          + "In Every Heading, decorative emojis in headings/bullets, curly quotation marks\n"
          + "\n"
          + "Communication and filler:\n"
          + "- Chatbot artifacts: \"I hope this helps\", \"Of course!\", \"Certainly!\", \"Let me "
          + "know\"\n"
          + "- Knowledge-cutoff disclaimers, sycophantic tone\n"
          + "- Filler phrases: \"In order to\", \"Due to the fact that\", \"It is worth noting "
          + "that\", \"It's important to note\"\n"
          + "- Excessive hedging, generic positive conclusions (\"The future looks bright\")\n"
          + "\n"
          + "How to rewrite:\n"
          + "- Preserve ALL technical content, code blocks, data, and factual claims exactly\n"
          + "- Replace AI-isms with plain, direct language; use \"is/are\" instead of \"serves "
          + "as/stands as\"\n"
          + "- Cut filler phrases entirely rather than replacing them; remove promotional "
          + "adjectives\n"
          + "- Vary sentence rhythm; keep the same overall structure and information "
          + "ordering\n"
          + "- Do NOT add new information or opinions\n"
          + "- Do NOT change tool calls\n"
          + "\n"
          + "If the text already reads naturally and contains none of these patterns, pass "
          + "it through unchanged.";

  public DeAIPolicy(PolicyConfig config) {
    super(config, INSTRUCTIONS, 0.3, 8192, "pass");
  }
}
