package io.luthien.shared.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;

/** Gives every log record emitted under a call's context the {@code luthien.call_id} attribute. */
final class CallIdLogProcessor implements LogRecordProcessor {

  @Override
  public void onEmit(Context context, ReadWriteLogRecord logRecord) {
    String callId = CallBaggage.callId(context);
    if (callId != null) {
      logRecord.setAttribute(TelemetryNames.CALL_ID, callId);
    }
  }
}
