package io.luthien.policy.library.judge;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.library.judge.SimpleLLMPrompt.Block;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * luthien-proxy's {@code SimpleLLMPolicy}: a judge model applies plain-English {@code instructions}
 * to each block of the answer (its text; each tool call) and answers {@code {"action": "pass"}} or
 * {@code {"action": "replace", "blocks": [...]}} with text and tool-call blocks, so a tool call may
 * become text and text a tool call. A judge that fails (no answer in time, an error, an answer that
 * is no verdict) is handled by {@code on_error}: {@code pass} keeps the block and adds a warning,
 * {@code block} drops it (a blocked tool call is named in a marker; an answer left empty gets a
 * message saying why). In a stream a text block is held until it ends (a tool call starts or the
 * choice finishes) and tool calls until the choice finishes; the judges of blocks that are ready
 * together run together, so a hook waits for one judge at most. When no tool call is left, the
 * finish reason {@code tool_calls} becomes {@code stop}.
 *
 * <p>Config: {@code model} ({@code claude-haiku-4-5}), {@code instructions} (required), {@code
 * on_error} ({@code pass}), {@code temperature} (0.0), {@code max_tokens} (4096), {@code
 * max_retries} (2), {@code retry_delay} (0.5 s), {@code timeout} (30 s per attempt);
 * luthien-proxy's {@code api_base}, {@code inference_provider} and {@code auth_provider} are
 * accepted and unused (the gateway's routes reach the model).
 */
public class SimpleLLMPolicy implements Policy {

  static final String INSTRUCTIONS = "instructions";
  static final String ON_ERROR = "on_error";

  private static final Logger log = LoggerFactory.getLogger(SimpleLLMPolicy.class);

  private static final String[] KEYS = {
    JudgeSettings.MODEL,
    INSTRUCTIONS,
    ON_ERROR,
    JudgeSettings.TEMPERATURE,
    JudgeSettings.MAX_TOKENS,
    JudgeSettings.MAX_RETRIES,
    JudgeSettings.RETRY_DELAY,
    JudgeSettings.TIMEOUT,
    JudgeSettings.API_BASE,
    JudgeSettings.INFERENCE_PROVIDER,
    JudgeSettings.AUTH_PROVIDER
  };

  private static final JudgeSettings.Defaults DEFAULTS =
      new JudgeSettings.Defaults(0.0, 4096, 2, 0.5);

  private final String instructions;
  private final boolean onErrorBlock;
  private final JudgeSettings settings;
  private final SimpleLLMStream stream;

  public SimpleLLMPolicy(PolicyConfig config) {
    this(config.allowOnly(KEYS), config.requiredString(INSTRUCTIONS), DEFAULTS, "pass");
  }

  /**
   * A preset: its {@code instructions} fixed, the other keys configurable with the preset's
   * defaults.
   */
  protected SimpleLLMPolicy(
      PolicyConfig config,
      String instructions,
      double temperature,
      long maxTokens,
      String onError) {
    this(
        config.allowOnly(presetKeys()),
        instructions,
        new JudgeSettings.Defaults(temperature, maxTokens, DEFAULTS.maxRetries(), 0.5),
        onError);
  }

  private SimpleLLMPolicy(
      PolicyConfig config, String instructions, JudgeSettings.Defaults defaults, String onError) {
    this.instructions = instructions;
    this.onErrorBlock = "block".equals(config.choice(ON_ERROR, onError, "pass", "block"));
    this.settings = JudgeSettings.read(config, defaults);
    this.stream = new SimpleLLMStream(this::judge, onErrorBlock);
  }

  private static String[] presetKeys() {
    return Arrays.stream(KEYS).filter(key -> !key.equals(INSTRUCTIONS)).toArray(String[]::new);
  }

  /** The instructions the judge applies. */
  public String instructions() {
    return instructions;
  }

  /** Whether a failed judge blocks ({@code on_error: block}) rather than passes. */
  public boolean blocksOnError() {
    return onErrorBlock;
  }

  /** The judge model. */
  public String judgeModel() {
    return settings.model();
  }

  @Override
  public Duration hookTimeout() {
    return settings.hookTimeout();
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    JsonObject out = response.copy();
    List<Future<Boolean>> choices = new ArrayList<>();
    for (JsonObject choice : Choices.of(out)) {
      JsonObject message = Completions.message(choice);
      if (message != null) {
        choices.add(judgeWhole(choice, message, context));
      }
    }
    return Future.all(choices).map(done -> done.<Boolean>list().contains(true) ? out : response);
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    return stream.onChunk(chunk, context);
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    return stream.onStreamEnd(context);
  }

  /** Judges every block of one choice together; true when the message changed. */
  private Future<Boolean> judgeWhole(JsonObject choice, JsonObject message, PolicyContext context) {
    String text = Messages.text(message);
    List<JsonObject> calls = new ArrayList<>();
    if (message.getValue(Canonical.TOOL_CALLS) instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        if (items.getValue(i) instanceof JsonObject item) {
          calls.add(item);
        }
      }
    }
    List<Block> blocks = new ArrayList<>();
    if (text != null && !text.isEmpty()) {
      blocks.add(Block.text(text));
    }
    calls.forEach(call -> blocks.add(Block.toolUse(ToolCall.of(call))));
    if (blocks.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<Future<BlockVerdict>> verdicts = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      verdicts.add(judge(blocks.get(i), blocks.subList(0, i), context));
    }
    return Future.all(verdicts)
        .map(
            done -> {
              List<BlockVerdict> given = done.list();
              if (given.stream().allMatch(BlockVerdict::keepsAsIs)) {
                return false;
              }
              JudgedMessage judged = new JudgedMessage();
              StringBuilder content = new StringBuilder();
              int next = 0;
              if (text != null && !text.isEmpty()) {
                content.append(judged.text(text, given.get(next++)));
              }
              for (JsonObject call : calls) {
                content.append(judged.toolCall(call, given.get(next++)));
              }
              content.append(judged.close(onErrorBlock));
              message.put(Canonical.CONTENT, content.length() == 0 ? null : content.toString());
              List<JsonObject> kept = judged.takeToolCalls();
              if (kept.isEmpty()) {
                message.remove(Canonical.TOOL_CALLS);
                if ("tool_calls".equals(Choices.finishReason(choice))) {
                  choice.put(Canonical.FINISH_REASON, "stop");
                }
              } else {
                message.put(Canonical.TOOL_CALLS, new JsonArray(new ArrayList<Object>(kept)));
              }
              return true;
            });
  }

  /** Asks the judge about one block; a failed judge becomes the on_error verdict, with an event. */
  Future<BlockVerdict> judge(Block current, List<Block> previous, PolicyContext context) {
    JsonObject request =
        settings
            .request(SimpleLLMPrompt.messages(instructions, current, previous))
            .put("response_format", new JsonObject().put("type", "json_object"));
    return JudgeCall.ask(context, request, settings.options(), BlockVerdict::parse)
        .map(
            verdict -> {
              String action = verdict.action() == BlockVerdict.Action.PASS ? "pass" : "replace";
              context.emit(
                  "simple_llm.judge_result",
                  new JsonObject()
                      .put(
                          "summary",
                          "Judge decided '" + action + "' for " + current.type() + " block")
                      .put("action", action)
                      .put("block_type", current.type()));
              return verdict;
            })
        .otherwise(
            failure -> {
              String onError = onErrorBlock ? "block" : "pass";
              log.warn(
                  "{} judge failed for call {} ({} block), on_error {}: {}",
                  name(),
                  context.callId(),
                  current.type(),
                  onError,
                  failure.getMessage());
              context.emit(
                  "simple_llm.judge_error",
                  new JsonObject()
                      .put(
                          "summary",
                          "Judge error for " + current.type() + " block: " + failure.getMessage())
                      .put("error", failure.getMessage())
                      .put("on_error", onError));
              return BlockVerdict.failed(onErrorBlock);
            });
  }
}
