package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.ApiErrors;
import io.luthien.gateway.error.GatewayException;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.UpstreamRoute;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.luthien.shared.telemetry.BusTrace;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy's model call ({@link io.luthien.shared.Addresses#MODEL_CALL}): routed and sent like a
 * client's whole call, so provider keys never leave the gateway nodes, with no policy on it; traced
 * under the calling hook (the span named by the message's traceparent), metered like any upstream
 * call, and recorded as a call of its own, a child of the call it was made for ({@code
 * parent_call_id}). The caller's {@code timeout_ms} bounds it: past that the upstream request is
 * cancelled and the call fails with 504. Fails with the HTTP status the client would have got.
 */
public final class ModelCallHandler implements Handler<Message<JsonObject>> {

  private static final Logger log = LoggerFactory.getLogger(ModelCallHandler.class);

  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;
  private final Vertx vertx;

  public ModelCallHandler(
      Vertx vertx, Upstreams upstreams, UpstreamCalls calls, CallRecorder recorder) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.calls = calls;
    this.recorder = recorder;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (body == null
        || !(body.getValue(Fields.CALL_ID) instanceof String callId)
        || !(body.getValue(Fields.REQUEST) instanceof JsonObject request)) {
      message.fail(400, "a model call needs call_id and request");
      return;
    }
    CallTrace trace = CallTrace.ofMessage(BusTrace.parent(message.headers()), callId);
    CallRecord record;
    UpstreamRoute route;
    try {
      ChatRequestValidator.validate(request);
      trace.describe(request.getString(Fields.MODEL), false, Fields.API_OPENAI);
      record =
          CallRecord.begin(
              recorder,
              trace.context(),
              callId,
              OpenAiClientApi.INSTANCE,
              request,
              body.getString(Fields.PARENT_CALL_ID));
      record.requestDecided(PolicyRequestReply.allowed(request, List.of(), null, null));
      route = UpstreamRoute.resolve(upstreams, request);
      record.routedTo(route.providerName());
    } catch (GatewayException invalid) {
      ApiError error = ApiErrors.from(invalid, callId);
      message.fail(error.status(), error.message());
      return;
    }
    CallRecord recorded = record;
    Promise<Void> callerGone = Promise.promise();
    long timeoutMillis = body.getLong(Fields.TIMEOUT_MS, 0L);
    long timer =
        timeoutMillis > 0 ? vertx.setTimer(timeoutMillis, fired -> callerGone.tryComplete()) : -1;
    calls
        .complete(trace, route, callerGone.future())
        .onComplete(done -> vertx.cancelTimer(timer))
        .onSuccess(
            answer -> {
              recorded.responded(answer, new PolicyResponseReply(answer, List.of()), answer);
              message.reply(answer);
            })
        .onFailure(
            failure -> {
              ApiError error =
                  callerGone.future().isComplete()
                      ? new ApiError(
                          504,
                          "timeout_error",
                          "model_call_timeout",
                          null,
                          "the model call took longer than its " + timeoutMillis + " ms")
                      : ApiErrors.from(failure, callId);
              recorded.failed(error);
              log.info(
                  "call {}: model call for {} failed with {} {}",
                  callId,
                  body.getString(Fields.PARENT_CALL_ID),
                  error.status(),
                  error.code());
              message.fail(
                  error.status(),
                  (error.code() != null ? error.code() : error.type()) + ": " + error.message());
            });
  }
}
