package io.luthien.launcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar luthien-vertx.jar [--roles ...] [--cluster]}: runs one node until it is stopped.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.setProperty(
        "vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Logger log = LoggerFactory.getLogger(Main.class);
    NodeOptions options;
    String roles;
    try {
      LogFormat.requireKnown(System.getenv(LogFormat.VARIABLE));
      options = NodeOptions.parse(Arrays.asList(args), System.getenv());
      roles = options.describeRoles();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(NodeOptions.USAGE);
      System.exit(2);
      return;
    }
    log.info("luthien starting: {}", roles);
    Node.start(options)
        .onSuccess(
            node ->
                Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> stop(node), "luthien-shutdown")))
        .onFailure(
            failure -> {
              reportFailure(log, failure);
              System.exit(1);
            });
  }

  /** A problem the operator can fix is one line; anything else comes with its stack trace. */
  private static void reportFailure(Logger log, Throwable failure) {
    Optional<StartProblem> problem = StartProblem.in(failure);
    if (problem.isPresent()) {
      log.error("luthien did not start: {}", problem.get().getMessage());
    } else {
      log.error("luthien did not start: {}", failure.getMessage(), failure);
    }
  }

  private static void stop(RunningNode node) {
    Logger log = LoggerFactory.getLogger(Main.class);
    String roles = node.options().describeRoles();
    try {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      log.info("luthien stopped ({}; up {})", roles, uptime());
    } catch (ExecutionException | TimeoutException e) {
      log.warn("luthien stopped, but not cleanly ({}; up {}): {}", roles, uptime(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("luthien stopped, interrupted while closing ({}; up {})", roles, uptime());
    }
  }

  private static String uptime() {
    return Elapsed.format(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
  }
}
