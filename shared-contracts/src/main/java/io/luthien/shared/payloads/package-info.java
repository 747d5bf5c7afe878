/**
 * The event-bus payloads of {@link io.luthien.shared.Addresses} as records, one per body and reply.
 * On the wire they stay {@code JsonObject}s with the field names of {@link
 * io.luthien.shared.Fields} (no codec: a clustered bus would need it on every node); {@code
 * toJson()} writes that JSON and {@code fromJson(JsonObject)} reads it back, refusing a body that
 * breaks its contract with a {@link io.luthien.shared.payloads.MalformedPayloadException} that
 * names the field.
 */
package io.luthien.shared.payloads;
