package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredText;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The reply to a {@link PolicyStreamOpen}: {@code {session}}.
 *
 * @param session the node-local address ({@link Addresses#POLICY_STREAM_SESSION_PREFIX} + instance
 *     id) that takes this call's {@link PolicyStreamMessage}s
 */
public record PolicyStreamOpened(String session) {

  public static PolicyStreamOpened fromJson(JsonObject json) {
    return new PolicyStreamOpened(requiredText(PayloadFields.body(json), Fields.SESSION));
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.SESSION, session);
  }
}
