package io.luthien.policy.library.judge;

/** Why a judge gave no usable verdict: an unreadable answer, a timeout, an error. */
final class JudgeFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Whether asking again could help (a 4xx answer will not change). */
  private final boolean retryable;

  JudgeFailure(String message) {
    this(message, true);
  }

  JudgeFailure(String message, boolean retryable) {
    super(message, null, false, false);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }
}
