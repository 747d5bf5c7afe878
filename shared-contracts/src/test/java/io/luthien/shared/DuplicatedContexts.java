package io.luthien.shared;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.tracing.TracingPolicy;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fresh duplicated context, the kind an HTTP request or an event-bus message is handled on, for
 * tests that send as the gateway does. Vert.x 5 makes one only through its internal {@code
 * ContextInternal.duplicate()}; its public API hands one over with every event-bus delivery, so one
 * untraced message to a local consumer gets one.
 */
public final class DuplicatedContexts {

  private DuplicatedContexts() {}

  /** Blocks the calling (test) thread until the context is there. */
  public static Context fresh(Vertx vertx) {
    String address = "test.duplicated-context." + UUID.randomUUID();
    Promise<Context> delivered = Promise.promise();
    MessageConsumer<Void> consumer =
        vertx
            .eventBus()
            .localConsumer(address, message -> delivered.complete(Vertx.currentContext()));
    try {
      return consumer
          .completion()
          .compose(
              registered -> {
                vertx
                    .eventBus()
                    .send(
                        address,
                        null,
                        new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE));
                return delivered.future();
              })
          .eventually(consumer::unregister)
          .await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no event-bus delivery within 10 s", e);
    }
  }
}
