package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * What a policy node tells the admin API: the policy it serves ({@link Addresses#POLICY_CURRENT}),
 * the classes it can run ({@link Addresses#POLICY_CATALOG}), and whether a candidate is valid
 * ({@link Addresses#POLICY_VALIDATE}) before anything is stored or switched.
 */
final class PolicyAdminReplies {

  private final PolicySource source;
  private final PolicyDescriptions descriptions;
  private final PolicyConfigValidator validator;

  PolicyAdminReplies(PolicySource source, PolicyCatalog catalog, PolicyFactory factory) {
    this.source = source;
    this.descriptions = new PolicyDescriptions(catalog);
    this.validator = new PolicyConfigValidator(catalog, factory);
  }

  void current(Message<JsonObject> message) {
    ActivePolicy active = source.current();
    message.reply(
        active.origin().toJson(active.policy().name()).put("policy_source", source.mode().label()));
  }

  void catalog(Message<JsonObject> message) {
    message.reply(new JsonObject().put("policies", descriptions.list()));
  }

  /**
   * Checked against the class's config schema, then built (so the constructor's own checks run too)
   * and dropped unstarted: a policy allocates in start.
   */
  void validate(Message<JsonObject> message) {
    JsonObject section = message.body();
    if (section == null || !(section.getValue("class") instanceof String)) {
      message.fail(FailureCodes.BAD_MESSAGE, "policy_class_ref is required");
      return;
    }
    Policy built;
    try {
      built = validator.validate(section);
    } catch (IllegalArgumentException invalid) {
      message.fail(FailureCodes.BAD_MESSAGE, invalid.getMessage());
      return;
    }
    message.reply(
        new JsonObject().put("policy", built.name()).put("policy_source", source.mode().label()));
  }
}
