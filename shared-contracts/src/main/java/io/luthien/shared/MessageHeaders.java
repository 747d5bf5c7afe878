package io.luthien.shared;

/**
 * Headers every event-bus message of a call carries; a traced one also carries the sender span's
 * {@code traceparent} ({@link io.luthien.shared.telemetry.BusTrace}).
 */
public final class MessageHeaders {

  public static final String CALL_ID = "call-id";

  private MessageHeaders() {}
}
