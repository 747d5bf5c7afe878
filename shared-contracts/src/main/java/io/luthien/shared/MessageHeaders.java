package io.luthien.shared;

/**
 * Headers every event-bus message of a call carries (trace context headers are added by Vert.x
 * tracing).
 */
public final class MessageHeaders {

  public static final String CALL_ID = "call-id";

  private MessageHeaders() {}
}
