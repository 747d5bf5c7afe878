package io.luthien.shared.payloads;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The {@code kind} of a message to a call's session address: {@code response}, {@code chunk},
 * {@code close} or {@code release} ({@link io.luthien.shared.Addresses#POLICY_SESSION_PREFIX}).
 */
public final class SessionMessageKind {

  private SessionMessageKind() {}

  /** The message's kind; a body without one is malformed. */
  public static String of(JsonObject json) {
    return PayloadFields.requiredString(PayloadFields.body(json), Fields.KIND);
  }
}
