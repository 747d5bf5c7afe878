/**
 * The canonical shape: what every policy sees, whatever API the client speaks and whatever backend
 * answers.
 *
 * <p>A request is an OpenAI chat-completions request, a whole answer a {@code chat.completion}, a
 * streamed one a series of {@code chat.completion.chunk}s; what only Anthropic has rides in {@code
 * x_anthropic*} keys ({@link io.luthien.canonical.Canonical}). The values stay plain Vert.x {@code
 * JsonObject}s, as they travel on the event bus; the classes here read them leniently (a missing or
 * mistyped field reads as absent, never as an exception) and build them:
 *
 * <ul>
 *   <li>{@link io.luthien.canonical.Requests}, {@link io.luthien.canonical.Messages}: a request's
 *       messages and their text;
 *   <li>{@link io.luthien.canonical.Completions}: a whole answer's text, tool calls, finish reason
 *       and usage, and copies with its text rewritten;
 *   <li>{@link io.luthien.canonical.Chunks}, {@link io.luthien.canonical.Deltas}: the same for one
 *       chunk, with its tool-call fragments ({@link io.luthien.canonical.ToolCallDelta}); {@link
 *       io.luthien.canonical.ChunkAccumulator} adds a stream's chunks up into the answer;
 *   <li>{@link io.luthien.canonical.Choices}: every choice, when a request asked for more than one;
 *   <li>{@link io.luthien.canonical.Usage} and {@link io.luthien.canonical.AnthropicUsage}: token
 *       counts, and the one rule that turns them into Anthropic's and back;
 *   <li>{@link io.luthien.canonical.Extensions}, {@link io.luthien.canonical.StopReasons}, {@link
 *       io.luthien.canonical.ToolIds}: what the translators between the two APIs agree on.
 * </ul>
 *
 * <p>Rewrites return copies: the object a policy is handed stays as it was, because the recorder
 * keeps the original beside the final version.
 */
package io.luthien.canonical;
