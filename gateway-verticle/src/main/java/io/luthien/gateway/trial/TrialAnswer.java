package io.luthien.gateway.trial;

import io.vertx.core.json.JsonObject;

/**
 * One trial's answer, both sides canonical.
 *
 * @param original what the model said (or the recording held)
 * @param delivered what the policy made of it: what the client would have got
 */
record TrialAnswer(JsonObject original, JsonObject delivered) {}
