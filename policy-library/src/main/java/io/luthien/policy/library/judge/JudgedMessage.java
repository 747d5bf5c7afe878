package io.luthien.policy.library.judge;

import io.luthien.canonical.ToolCall;
import io.luthien.policy.library.judge.SimpleLLMPrompt.Block;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One choice's answer as {@link SimpleLLMPolicy}'s verdicts build it, in the order luthien-proxy's
 * {@code AnthropicMessageBuilder} gives it: the text blocks kept or put in (each block after the
 * first set off by a blank line), then, at the close, the fallback when the judge failed and
 * nothing is left, the "judge unavailable" warning, the marker of blocked tool calls, and last the
 * tool calls kept or put in. What the judge has been shown as committed is the next judge's
 * "previous blocks".
 */
final class JudgedMessage {

  /** luthien-proxy's {@code JUDGE_UNAVAILABLE_WARNING} (on_error: pass). */
  static final String JUDGE_UNAVAILABLE_WARNING =
      "⚠️ Safety judge unavailable — this response was not evaluated by the safety policy.";

  /** luthien-proxy's {@code JUDGE_ERROR_BLOCKED_MESSAGE} (on_error: block, nothing left). */
  static final String JUDGE_ERROR_BLOCKED_MESSAGE =
      "❌ Response blocked: the safety judge encountered an error and the policy requires"
          + " blocking on failure.";

  private final List<Block> committed = new ArrayList<>();
  private final List<JsonObject> tools = new ArrayList<>();
  private final List<String> blockedTools = new ArrayList<>();
  private boolean blockedByFailure;
  private boolean judgeFailed;
  private boolean textSent;

  /** The blocks a judge is shown as "previous". */
  List<Block> committed() {
    return List.copyOf(committed);
  }

  /** A text block's verdict; returns the text that goes out now ("" for none). */
  String text(String text, BlockVerdict verdict) {
    judgeFailed |= verdict.judgeFailed();
    return switch (verdict.action()) {
      case PASS -> commitText(text);
      case REPLACE -> replace(verdict);
      case BLOCK -> "";
    };
  }

  /**
   * A tool call's verdict ({@code item} is its {@code tool_calls[]} JSON); returns the text that
   * goes out now.
   */
  String toolCall(JsonObject item, BlockVerdict verdict) {
    judgeFailed |= verdict.judgeFailed();
    switch (verdict.action()) {
      case PASS -> {
        tools.add(item);
        committed.add(Block.toolUse(ToolCall.of(item)));
        return "";
      }
      case REPLACE -> {
        return replace(verdict);
      }
      case BLOCK -> {
        String name = ToolCall.of(item).name();
        blockedTools.add(name == null ? "" : name);
        blockedByFailure |= verdict.judgeFailed();
        return "";
      }
    }
    throw new IllegalStateException("unknown verdict " + verdict.action());
  }

  /**
   * The text that closes the answer: the fallback, the warning and the blocked-tools marker, as
   * {@code on_error} says.
   */
  String close(boolean onErrorBlock) {
    StringBuilder out = new StringBuilder();
    boolean nothing = committed.isEmpty() && tools.isEmpty() && blockedTools.isEmpty();
    if (judgeFailed && onErrorBlock && nothing) {
      out.append(commitText(JUDGE_ERROR_BLOCKED_MESSAGE));
    }
    if (judgeFailed && !onErrorBlock) {
      out.append(commitText(JUDGE_UNAVAILABLE_WARNING));
    }
    if (!blockedTools.isEmpty()) {
      out.append(commitText(blockedToolsMarker()));
      blockedTools.clear();
    }
    judgeFailed = false;
    return out.toString();
  }

  /** The tool calls that go out, in order; taken, so that a second close sends none again. */
  List<JsonObject> takeToolCalls() {
    List<JsonObject> out = List.copyOf(tools);
    tools.clear();
    return out;
  }

  boolean anyToolCalls() {
    return !tools.isEmpty();
  }

  private String replace(BlockVerdict verdict) {
    StringBuilder out = new StringBuilder();
    for (BlockVerdict.Replacement block : verdict.blocks()) {
      if (SimpleLLMPrompt.TEXT.equals(block.type())) {
        out.append(commitText(block.text()));
      } else if (SimpleLLMPrompt.TOOL_USE.equals(block.type())) {
        JsonObject call =
            new ToolCall(
                    "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                    block.name(),
                    block.input().encode())
                .toJson();
        tools.add(call);
        committed.add(Block.toolUse(ToolCall.of(call)));
      }
    }
    return out.toString();
  }

  private String commitText(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    committed.add(Block.text(text));
    String out = textSent ? "\n\n" + text : text;
    textSent = true;
    return out;
  }

  /** luthien-proxy's {@code _blocked_tools_marker}. */
  private String blockedToolsMarker() {
    String names =
        blockedTools.stream().map(name -> "`" + name + "`").collect(Collectors.joining(", "));
    boolean one = blockedTools.size() == 1;
    if (blockedByFailure) {
      return one
          ? "[Tool call " + names + " blocked: policy evaluation unavailable]"
          : "[Tool calls " + names + " blocked: policy evaluation unavailable]";
    }
    return one
        ? "[Tool call " + names + " was blocked by policy]"
        : "[Tool calls " + names + " were blocked by policy]";
  }
}
