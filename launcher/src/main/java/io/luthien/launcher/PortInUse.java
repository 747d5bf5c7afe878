package io.luthien.launcher;

import io.vertx.core.Future;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Function;

/**
 * Turns the bare "Address already in use" of a server that cannot bind into a {@link StartProblem}
 * naming the address and the variable that sets its port.
 */
final class PortInUse {

  private PortInUse() {}

  /**
   * For {@code recover}: a bind failure becomes the problem; any other failure passes through
   * unchanged.
   */
  static <T> Function<Throwable, Future<T>> explain(ListenAddress address) {
    return failure ->
        Future.failedFuture(causedByBind(failure) ? problem(address, failure) : failure);
  }

  static StartProblem problem(ListenAddress address, Throwable cause) {
    return problem(
        address.host() + ":" + address.port() + " (" + address.portVariable() + ")",
        address.portVariable(),
        cause);
  }

  /** {@code where} is the address or range, with the variable that sets it. */
  static StartProblem problem(String where, String variable, Throwable cause) {
    return new StartProblem(
        "cannot listen on "
            + where
            + ": already in use, by another luthien node or another "
            + "program; stop it, or set "
            + variable
            + " to a free port",
        cause);
  }

  /** Whether a server could bind the address now (for servers that say less when they cannot). */
  static boolean isFree(ListenAddress address) {
    try {
      new ServerSocket(address.port(), 1, InetAddress.getByName(address.host())).close();
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  static boolean causedByBind(Throwable failure) {
    for (Throwable cause = failure;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
