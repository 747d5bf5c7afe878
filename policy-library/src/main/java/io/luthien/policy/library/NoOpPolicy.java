package io.luthien.policy.library;

import io.luthien.policy.api.Policy;

/** Passes every request, response and chunk through unchanged. */
public final class NoOpPolicy implements Policy {}
