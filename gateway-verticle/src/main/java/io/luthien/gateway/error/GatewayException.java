package io.luthien.gateway.error;

/** A failure that already knows what the client should see. */
public final class GatewayException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ApiError error;

  public GatewayException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
