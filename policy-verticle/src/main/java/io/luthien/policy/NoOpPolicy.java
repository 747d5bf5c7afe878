package io.luthien.policy;

/** Passes every request, response and chunk through unchanged. */
public final class NoOpPolicy implements Policy {}
