package io.luthien.recorder;

/** A message that does not follow its address's contract; it is counted and skipped, never written. */
final class MalformedEventException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MalformedEventException(String reason) {
    super(reason, null, false, false);
  }
}
