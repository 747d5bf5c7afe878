package io.luthien.shared;

/**
 * Fixed numeric codes for failed replies ({@code message.fail(code, reason)}), shared by every
 * node.
 */
public final class FailureCodes {

  /** The message body does not follow the address's contract. */
  public static final int BAD_MESSAGE = 400;

  /**
   * A stream chunk or close names a session this policy instance does not hold (expired or never
   * opened).
   */
  public static final int UNKNOWN_STREAM = 404;

  /** {@link Addresses#RECORDED_EXCHANGE}: the call has no recorded answer. */
  public static final int NOT_RECORDED = 404;

  /** {@link Addresses#RECORDED_EXCHANGE}: the database could not be read. */
  public static final int STORAGE_FAILED = 503;

  /**
   * A policy request's {@code candidate} names no policy class, or its config is refused, or it
   * failed to start; the reason names the class or the key.
   */
  public static final int CANDIDATE_REFUSED = 422;

  /** The policy threw or its future failed. */
  public static final int POLICY_FAILED = 500;

  /** The answering node failed in a way it did not expect (a bug: its log has the cause). */
  public static final int INTERNAL_ERROR = 500;

  private FailureCodes() {}
}
