package io.luthien.gateway.upstream;

/**
 * The upstream provider answered with an HTTP error, or with something the gateway could not read
 * (then it is a 502 of the gateway's own making); status and message go back to the client.
 */
public final class UpstreamHttpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String code;
  private final boolean unreadable;

  public UpstreamHttpException(int status, String type, String code, String message) {
    this(status, type, code, message, false);
  }

  private UpstreamHttpException(
      int status, String type, String code, String message, boolean unreadable) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.unreadable = unreadable;
  }

  /** The upstream answered, but not with what the OpenAI format promises. */
  public static UpstreamHttpException unreadable(String code, String message) {
    return new UpstreamHttpException(502, "upstream_error", code, message, true);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  boolean unreadable() {
    return unreadable;
  }
}
