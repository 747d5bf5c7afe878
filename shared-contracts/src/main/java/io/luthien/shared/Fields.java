package io.luthien.shared;

/** Field names of the event-bus payloads documented in {@link Addresses}. */
public final class Fields {

  public static final String CALL_ID = "call_id";
  public static final String API = "api";
  public static final String REQUEST = "request";
  public static final String RESPONSE = "response";
  public static final String BLOCKED = "blocked";
  public static final String STATUS = "status";
  public static final String MESSAGE = "message";
  public static final String EVENTS = "events";
  public static final String SESSION = "session";
  public static final String KIND = "kind";
  public static final String SEQ = "seq";
  public static final String CHUNK = "chunk";
  public static final String CHUNKS = "chunks";
  public static final String TYPE = "type";
  public static final String DATA = "data";

  public static final String KIND_CHUNK = "chunk";
  public static final String KIND_CLOSE = "close";

  public static final String API_OPENAI = "openai";

  private Fields() {
  }
}
