package io.luthien.shared.telemetry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;

/**
 * The call id as W3C baggage within a node: {@link CallIdSpanProcessor} copies it onto each span
 * started under it, Vert.x's own spans included. Across the event bus it goes as the {@code
 * call-id} header, from which {@link BusTrace#context} rebuilds it.
 */
public final class CallBaggage {

  private CallBaggage() {}

  public static Context withCallId(Context context, String callId) {
    return Baggage.fromContext(context).toBuilder()
        .put(TelemetryNames.CALL_ID.getKey(), callId)
        .build()
        .storeInContext(context);
  }

  /** The call id carried by {@code context}, or null. */
  public static String callId(Context context) {
    return Baggage.fromContext(context).getEntryValue(TelemetryNames.CALL_ID.getKey());
  }
}
