package io.luthien.gateway.upstream;

/**
 * A model as a provider's own {@code GET /v1/models} lists it: its id, a name for people (the id
 * when the provider gives none) and when it was created, in seconds since the epoch (0 when
 * unknown).
 */
public record ProviderModel(String id, String displayName, long createdSeconds) {}
