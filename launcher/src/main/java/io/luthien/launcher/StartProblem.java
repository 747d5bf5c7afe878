package io.luthien.launcher;

import java.util.Optional;

/**
 * A reason a node cannot start that the operator can fix, told in one line that names the setting
 * to change: {@code Main} logs its message alone, without a stack trace.
 */
final class StartProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StartProblem(String message, Throwable cause) {
    super(message, cause);
  }

  /** The problem that {@code failure} is, or that caused it. */
  static Optional<StartProblem> in(Throwable failure) {
    for (Throwable cause = failure;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof StartProblem problem) {
        return Optional.of(problem);
      }
    }
    return Optional.empty();
  }
}
