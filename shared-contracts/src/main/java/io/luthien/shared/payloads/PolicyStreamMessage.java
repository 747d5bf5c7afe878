package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * What a stream session address ({@link Addresses#POLICY_SESSION_PREFIX}) takes, told apart by
 * {@code kind}: a {@link PolicyStreamChunk} or the {@link PolicyStreamClose} that ends the session.
 * Messages of one call are numbered by {@code seq} from 0, chunks and close alike; the reply to
 * each is a {@link PolicyStreamReply}.
 */
public sealed interface PolicyStreamMessage permits PolicyStreamChunk, PolicyStreamClose {

  String callId();

  long seq();

  JsonObject toJson();

  /** The chunk or close in {@code json}, by its {@code kind}. */
  static PolicyStreamMessage fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    String kind = requiredString(body, Fields.KIND);
    return switch (kind) {
      case Fields.KIND_CHUNK -> PolicyStreamChunk.fromJson(body);
      case Fields.KIND_CLOSE -> PolicyStreamClose.fromJson(body);
      default ->
          throw new MalformedPayloadException(
              Fields.KIND
                  + " must be '"
                  + Fields.KIND_CHUNK
                  + "' or '"
                  + Fields.KIND_CLOSE
                  + "', got '"
                  + kind
                  + "'");
    };
  }
}
