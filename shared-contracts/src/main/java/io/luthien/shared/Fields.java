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
  public static final String SESSION_ID = "session_id";
  public static final String USER_ID = "user_id";
  public static final String TIMEOUT_MS = "timeout_ms";
  public static final String ENDED = "ended";
  public static final String PARENT_CALL_ID = "parent_call_id";
  public static final String POLICY = "policy";
  public static final String CANDIDATE = "candidate";
  public static final String RECORDED_RESPONSE = "recorded_response";

  public static final String EVENT_TYPE = "event_type";
  public static final String SEQUENCE = "sequence";
  public static final String TIMESTAMP = "timestamp";
  public static final String PAYLOAD = "payload";
  public static final String CALL = "call";
  public static final String ORIGINAL = "original";
  public static final String FINAL = "final";
  public static final String ERROR = "error";
  public static final String PHASE = "phase";
  public static final String MODEL = "model";
  public static final String PROVIDER = "provider";
  public static final String STREAM = "stream";
  public static final String CREATED_AT = "created_at";
  public static final String COMPLETED_AT = "completed_at";
  public static final String POLICY_CHANGED = "policy_changed";
  public static final String POLICY_BLOCKED = "policy_blocked";
  public static final String POLICY_JUDGED = "policy_judged";

  /** The {@code policy.<type>} event a policy's model call (a judge's) is recorded as. */
  public static final String EVENT_POLICY_MODEL_CALL = "policy.model_call";

  public static final String EVENT_REQUEST = "request";
  public static final String EVENT_RESPONSE = "response";

  /**
   * {@link Addresses#RECORDED_EXCHANGE}: {@code true} asks the recorder to forget the call's
   * exchange (a deleted Responses API response); the recording itself stays.
   */
  public static final String DELETE = "delete";

  /** The event a forgotten exchange leaves on its call. */
  public static final String EVENT_EXCHANGE_DELETED = "exchange.deleted";

  /**
   * Prefix of the recorded and activity event types of what a policy emitted: {@code
   * policy.<type>}.
   */
  public static final String EVENT_POLICY_PREFIX = "policy.";

  public static final String KIND_CHUNK = "chunk";
  public static final String KIND_CLOSE = "close";
  public static final String KIND_RESPONSE = "response";
  public static final String KIND_RELEASE = "release";

  public static final String API_OPENAI = "openai";
  public static final String API_ANTHROPIC = "anthropic";

  /** OpenAI's Responses API ({@code POST /v1/responses}). */
  public static final String API_OPENAI_RESPONSES = "openai_responses";

  private Fields() {}
}
