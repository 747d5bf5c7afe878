package io.luthien.gateway.translate.responses;

/**
 * What becomes of a part of a Responses request that has no canonical form (a built-in tool, an
 * item of one, a content part the gateway cannot read).
 */
enum Untranslatable {
  /** A 400 naming it: the backend would never see it. */
  REFUSED,
  /** Left out of the canonical request: the backend speaks the Responses API and gets it as is. */
  LEFT_OUT
}
