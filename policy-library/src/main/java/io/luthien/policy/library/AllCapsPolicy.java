package io.luthien.policy.library;

import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.TextPolicy;
import java.util.Locale;

/** Upper-cases the assistant's text, in whole answers and in every streamed text delta. */
public final class AllCapsPolicy extends TextPolicy {

  @Override
  protected String transform(String text, PolicyContext context) {
    return text.toUpperCase(Locale.ROOT);
  }
}
