package io.luthien.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a real server (the machine's PostgreSQL), which a test
 * can shut: open connections are cut and new ones closed as soon as they are accepted, so a client
 * sees the server go away without the server being stopped for the other suites that use it.
 */
public final class TcpGate {

  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean shut;
  private NetServer server;

  private TcpGate(Vertx vertx, String targetHost, int targetPort) {
    this.client = vertx.createNetClient();
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public static Future<TcpGate> open(Vertx vertx, String targetHost, int targetPort) {
    TcpGate gate = new TcpGate(vertx, targetHost, targetPort);
    return vertx
        .createNetServer()
        .connectHandler(gate::accept)
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              gate.server = server;
              return gate;
            });
  }

  /** The machine's PostgreSQL, through a gate. */
  public static Future<TcpGate> toPostgres(Vertx vertx) {
    return open(vertx, "127.0.0.1", 5432);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@link LocalServices#POSTGRES_URL} through this gate. */
  public String postgresUrl() {
    return LocalServices.POSTGRES_URL.replace(":5432/", ":" + port() + "/");
  }

  /** Cuts every relayed connection and closes each new one at once. */
  public void shut() {
    shut = true;
    for (NetSocket socket : open) {
      socket.close().onFailure(alreadyClosed -> {});
    }
  }

  public void reopen() {
    shut = false;
  }

  private void accept(NetSocket incoming) {
    if (shut) {
      incoming.close().onFailure(alreadyClosed -> {});
      return;
    }
    incoming.pause();
    client
        .connect(targetPort, targetHost)
        .onSuccess(target -> relay(incoming, target))
        .onFailure(unreachable -> incoming.close().onFailure(alreadyClosed -> {}));
  }

  private void relay(NetSocket incoming, NetSocket target) {
    if (shut) {
      closeBoth(incoming, target);
      return;
    }
    open.add(incoming);
    open.add(target);
    incoming.closeHandler(v -> closeBoth(incoming, target));
    target.closeHandler(v -> closeBoth(incoming, target));
    incoming.pipeTo(target).onFailure(cut -> {});
    target.pipeTo(incoming).onFailure(cut -> {});
  }

  private void closeBoth(NetSocket incoming, NetSocket target) {
    open.remove(incoming);
    open.remove(target);
    incoming.close().onFailure(alreadyClosed -> {});
    target.close().onFailure(alreadyClosed -> {});
  }
}
