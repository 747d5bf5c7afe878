package io.luthien.canonical;

/**
 * The canonical shape every policy sees, whatever API the client speaks: OpenAI chat completions
 * (request, response, chunk), plus a few extension keys that carry what only the Anthropic Messages
 * API has, so that an Anthropic client talking to an Anthropic backend loses nothing on the way
 * through. Translation to the OpenAI wire format removes every extension key.
 *
 * <p>The field names below are the OpenAI ones the readers and builders of this package use; the
 * {@code x_anthropic*} keys are the extensions, each documented with where it appears.
 */
public final class Canonical {

  /** {@code object} of a whole answer. */
  public static final String COMPLETION_OBJECT = "chat.completion";

  /** {@code object} of one streamed chunk. */
  public static final String CHUNK_OBJECT = "chat.completion.chunk";

  public static final String ID = "id";
  public static final String OBJECT = "object";
  public static final String CREATED = "created";
  public static final String MODEL = "model";
  public static final String MESSAGES = "messages";
  public static final String CHOICES = "choices";
  public static final String INDEX = "index";

  /** A whole answer's choice holds a {@code message}; a chunk's choice holds a {@code delta}. */
  public static final String MESSAGE = "message";

  public static final String DELTA = "delta";
  public static final String ROLE = "role";

  /**
   * A string, or an array of parts ({@code {type: "text", text}}, images...); null on a
   * tool-calls-only answer.
   */
  public static final String CONTENT = "content";

  public static final String TYPE = "type";
  public static final String TEXT = "text";
  public static final String REFUSAL = "refusal";
  public static final String TOOL_CALLS = "tool_calls";
  public static final String FUNCTION = "function";
  public static final String NAME = "name";

  /** A tool call's arguments: JSON text, streamed in fragments. */
  public static final String ARGUMENTS = "arguments";

  public static final String FINISH_REASON = "finish_reason";
  public static final String LOGPROBS = "logprobs";
  public static final String USAGE = "usage";

  public static final String ROLE_ASSISTANT = "assistant";
  public static final String ROLE_USER = "user";
  public static final String TOOL_TYPE_FUNCTION = "function";

  /**
   * On a request: Anthropic top-level fields with no OpenAI counterpart ({@code top_k}, {@code
   * thinking}, {@code metadata}, unknown ones). On a text part or a tool message: the block's extra
   * keys ({@code cache_control}, {@code citations}, {@code is_error}). On a response: {@code
   * stop_reason} and {@code stop_sequence} when they say more than {@code finish_reason}. On a
   * usage: the Anthropic usage as the backend reported it.
   */
  public static final String EXTRA = "x_anthropic";

  /**
   * A content part {@code {"type": BLOCK_PART, "block": {...}}}: an Anthropic block kept as it
   * came.
   */
  public static final String BLOCK_PART = "x_anthropic_block";

  /**
   * On an assistant message: its thinking and redacted_thinking blocks, in order, ahead of its
   * text.
   */
  public static final String THINKING = "x_anthropic_thinking";

  /**
   * On a request: HTTP headers of an Anthropic client that an Anthropic backend must get too
   * ({@code anthropic-beta}, {@code anthropic-version}), as {@code {name: value}}.
   */
  public static final String HEADERS = "x_anthropic_headers";

  /**
   * On a request: the query string of the Anthropic client's request ({@code beta=true}), for an
   * Anthropic backend.
   */
  public static final String QUERY = "x_anthropic_query";

  /**
   * On a message: {@code true} when it stood inside Anthropic's {@code messages} with a role other
   * than user or assistant (a mid-conversation {@code system} message): an Anthropic backend gets
   * it back at that position, an OpenAI backend gets it as a message of that role there.
   */
  public static final String IN_MESSAGES = "x_anthropic_in_messages";

  /**
   * On a chunk's delta: one thinking-block event ({@code thinking_delta} or {@code
   * signature_delta}).
   */
  public static final String THINKING_DELTA = "x_anthropic_thinking_delta";

  /**
   * On a chunk's delta: one whole server-tool block of an Anthropic stream, once it is complete: a
   * {@code server_tool_use} (its {@code input} parsed) or a server tool's result block ({@code
   * web_search_tool_result}...). Chat completions has no form for them; the Responses API shows a
   * web search as a {@code web_search_call} item.
   */
  public static final String SERVER_TOOL_DELTA = "x_anthropic_server_tool";

  private Canonical() {}
}
