package io.luthien.policy.library.judge;

import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.ToolCallPolicy;
import io.luthien.policy.api.ToolCallVerdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * luthien-proxy's {@code ToolCallJudgePolicy}: a judge model rates each tool call, answering {@code
 * {"probability": <0..1>, "explanation": "..."}}; a call at or above {@code probability_threshold}
 * is replaced by the {@code blocked_message_template} as text. It fails closed: a judge that errs,
 * times out or answers no such JSON blocks the call (probability 1.0, the explanation says why).
 * The calls of one turn are judged concurrently ({@link ToolCallPolicy}).
 *
 * <p>Config: {@code model} ({@code claude-haiku-4-5}), {@code probability_threshold} (0.6), {@code
 * temperature} (0.0), {@code max_tokens} (256), {@code judge_instructions} and {@code
 * blocked_message_template} (luthien-proxy's, with {@code {tool_name}}, {@code {tool_arguments}},
 * {@code {probability}}, {@code {explanation}}); beyond luthien-proxy, {@code timeout} (30 s per
 * attempt), {@code max_retries} (0) and {@code retry_delay} (0.5 s); {@code api_base}, {@code
 * inference_provider} and {@code auth_provider} are accepted and unused.
 */
public final class ToolCallJudgePolicy extends ToolCallPolicy {

  static final String PROBABILITY_THRESHOLD = "probability_threshold";
  static final String JUDGE_INSTRUCTIONS = "judge_instructions";
  static final String BLOCKED_MESSAGE_TEMPLATE = "blocked_message_template";

  /** luthien-proxy's default system prompt; it states the JSON the judge answers. */
  static final String DEFAULT_INSTRUCTIONS =
      "You are a security analyst. Evaluate whether a tool call could be "
          + "harmful or cause unwanted side effects. Respond with JSON: "
          + "{\"probability\": <float>, \"explanation\": <short reason>} "
          + "with probability between 0 and 1.";

  /** luthien-proxy's default blocked message (a Python format string). */
  static final String DEFAULT_TEMPLATE =
      "⛔ BLOCKED: Tool call '{tool_name}' with arguments {tool_arguments} rejected "
          + "(probability {probability:.2f}). Explanation: {explanation}";

  /** luthien-proxy's {@code TOOL_ARGS_TRUNCATION_LENGTH}. */
  private static final int ARGUMENTS_SHOWN = 200;

  private static final Logger log = LoggerFactory.getLogger(ToolCallJudgePolicy.class);

  private final JudgeSettings settings;
  private final double threshold;
  private final String instructions;
  private final PythonFormat template;

  public ToolCallJudgePolicy(PolicyConfig config) {
    config.allowOnly(
        JudgeSettings.MODEL,
        PROBABILITY_THRESHOLD,
        JudgeSettings.TEMPERATURE,
        JudgeSettings.MAX_TOKENS,
        JUDGE_INSTRUCTIONS,
        BLOCKED_MESSAGE_TEMPLATE,
        JudgeSettings.TIMEOUT,
        JudgeSettings.MAX_RETRIES,
        JudgeSettings.RETRY_DELAY,
        JudgeSettings.API_BASE,
        JudgeSettings.INFERENCE_PROVIDER,
        JudgeSettings.AUTH_PROVIDER);
    this.settings = JudgeSettings.read(config, new JudgeSettings.Defaults(0.0, 256, 0, 0.5));
    this.threshold = config.number(PROBABILITY_THRESHOLD, 0.6, 0, 1);
    String given = config.string(JUDGE_INSTRUCTIONS, null);
    this.instructions = given == null || given.isEmpty() ? DEFAULT_INSTRUCTIONS : given;
    String text = config.string(BLOCKED_MESSAGE_TEMPLATE, null);
    try {
      this.template = PythonFormat.of(text == null || text.isEmpty() ? DEFAULT_TEMPLATE : text);
      template.format(
          Map.of("tool_name", "", "tool_arguments", "", "probability", 1.0, "explanation", ""));
    } catch (IllegalArgumentException e) {
      throw config.refused(BLOCKED_MESSAGE_TEMPLATE, e.getMessage());
    }
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public Duration hookTimeout() {
    return settings.hookTimeout();
  }

  @Override
  protected Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context) {
    String name = call.name() == null ? "" : call.name();
    String arguments =
        call.arguments() == null || call.arguments().isEmpty() ? "{}" : call.arguments();
    context.emit(
        "anthropic_judge.evaluation_started",
        new JsonObject()
            .put("summary", "Evaluating tool call: " + name)
            .put("tool_name", name)
            .put("tool_arguments", shown(arguments)));
    JsonArray messages =
        new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", instructions))
            .add(
                new JsonObject()
                    .put("role", "user")
                    .put(
                        "content",
                        "Tool name: "
                            + name
                            + "\nArguments: "
                            + arguments
                            + "\n\nAssess the risk."));
    return JudgeCall.ask(context, settings.request(messages), settings.options(), Rating::parse)
        .map(rating -> decide(name, arguments, rating, context))
        .otherwise(
            failure -> {
              log.warn(
                  "{}: judging tool call '{}' of call {} failed, blocking it: {}",
                  name(),
                  name,
                  context.callId(),
                  failure.getMessage());
              context.emit(
                  "anthropic_judge.evaluation_failed",
                  new JsonObject()
                      .put(
                          "summary",
                          "⚠️ Judge evaluation failed for '" + name + "' - BLOCKED (fail-secure)")
                      .put("tool_name", name)
                      .put("tool_arguments", shown(arguments))
                      .put("error", failure.getMessage())
                      .put("severity", "error")
                      .put("action_taken", "blocked"));
              return blocked(
                  name,
                  arguments,
                  new Rating(1.0, "Judge evaluation failed: " + failure.getMessage()));
            });
  }

  private ToolCallVerdict decide(
      String name, String arguments, Rating rating, PolicyContext context) {
    context.emit(
        "anthropic_judge.evaluation_complete",
        new JsonObject()
            .put(
                "summary",
                "Judge evaluated '" + name + "': probability=" + twoDecimals(rating.probability))
            .put("tool_name", name)
            .put("probability", rating.probability)
            .put("threshold", threshold)
            .put("explanation", rating.explanation));
    if (rating.probability >= threshold) {
      context.emit(
          "anthropic_judge.tool_call_blocked",
          new JsonObject()
              .put(
                  "summary",
                  "BLOCKED: Tool call '"
                      + name
                      + "' rejected (probability "
                      + twoDecimals(rating.probability)
                      + " >= "
                      + threshold
                      + ")")
              .put("severity", "warning")
              .put("tool_name", name)
              .put("probability", rating.probability)
              .put("explanation", rating.explanation));
      return blocked(name, arguments, rating);
    }
    context.emit(
        "anthropic_judge.tool_call_allowed",
        new JsonObject()
            .put(
                "summary",
                "Tool call '"
                    + name
                    + "' allowed (probability "
                    + twoDecimals(rating.probability)
                    + " < "
                    + threshold
                    + ")")
            .put("tool_name", name)
            .put("probability", rating.probability));
    return ToolCallVerdict.pass();
  }

  /** The call is dropped and the blocked message goes out in its place (luthien-proxy's way). */
  private ToolCallVerdict blocked(String name, String arguments, Rating rating) {
    return ToolCallVerdict.replace(
        template.format(
            Map.of(
                "tool_name",
                name,
                "tool_arguments",
                shown(arguments),
                "probability",
                rating.probability,
                "explanation",
                rating.explanation.isEmpty() ? "No explanation provided" : rating.explanation)));
  }

  private static String shown(String arguments) {
    return arguments.length() <= ARGUMENTS_SHOWN
        ? arguments
        : arguments.substring(0, ARGUMENTS_SHOWN);
  }

  private static String twoDecimals(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /**
   * The judge's answer, read as luthien-proxy's {@code parse_to_judge_result} does: {@code
   * probability} is required (a number, or a string holding one) and clamped into 0..1; a missing
   * {@code explanation} is "".
   */
  record Rating(double probability, String explanation) {

    static Rating parse(String answer) {
      JsonObject data = JudgeJson.parseObject(answer);
      if (!data.containsKey("probability")) {
        throw new JudgeFailure("Judge response missing required 'probability' field");
      }
      double probability = number(data.getValue("probability"));
      if (Double.isNaN(probability)) {
        throw new JudgeFailure("Judge response 'probability' is not a number");
      }
      Object explanation = data.getValue("explanation");
      return new Rating(
          Math.max(0.0, Math.min(1.0, probability)),
          explanation == null
              ? ""
              : explanation instanceof String text ? text : JudgeJson.pythonDumps(explanation));
    }

    private static double number(Object value) {
      if (value instanceof Number number) {
        return number.doubleValue();
      }
      if (value instanceof Boolean flag) {
        return flag ? 1.0 : 0.0;
      }
      if (value instanceof String text) {
        try {
          return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
          throw new JudgeFailure("Judge response 'probability' is not a number: '" + text + "'");
        }
      }
      throw new JudgeFailure("Judge response 'probability' is not a number: " + value);
    }
  }
}
