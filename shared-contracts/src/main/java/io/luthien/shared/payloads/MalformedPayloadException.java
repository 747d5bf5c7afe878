package io.luthien.shared.payloads;

/**
 * A message body that does not follow its address's contract ({@link io.luthien.shared.Addresses});
 * the message says which field and what is wrong with it. A request/reply consumer answers it with
 * {@link io.luthien.shared.FailureCodes#BAD_MESSAGE}; a fire-and-forget consumer counts and skips
 * it.
 */
public final class MalformedPayloadException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MalformedPayloadException(String reason) {
    super(reason);
  }

  /**
   * The reason is the whole story: where the body was parsed is not news, so no stack trace is
   * taken.
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
