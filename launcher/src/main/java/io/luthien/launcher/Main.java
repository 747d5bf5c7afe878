package io.luthien.launcher;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar luthien-vertx.jar [--roles ...] [--cluster]}: runs one node until it is stopped. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Logger log = LoggerFactory.getLogger(Main.class);
    NodeOptions options;
    try {
      options = NodeOptions.parse(Arrays.asList(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(NodeOptions.USAGE);
      System.exit(2);
      return;
    }
    Node.start(options)
        .onSuccess(vertx -> {
          log.info("node up: roles {}, {}", options.roles(), options.clustered() ? "clustered" : "not clustered");
          Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "luthien-shutdown"));
        })
        .onFailure(failure -> {
          log.error("node failed to start: {}", failure.getMessage(), failure);
          System.exit(1);
        });
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LoggerFactory.getLogger(Main.class).warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
