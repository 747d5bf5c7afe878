package io.luthien.gateway;

/** The upstream provider answered with an HTTP error; its status and message go back to the client. */
final class UpstreamHttpException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;

  UpstreamHttpException(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String code() {
    return code;
  }
}
