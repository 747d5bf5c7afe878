// A fake Anthropic Messages API for checking real clients through the gateway by hand: answers every
// POST /v1/messages (whole or streamed) with a short text, POST /v1/messages/count_tokens with a count, and
// appends each request (method, URL, headers, body) as one JSON line to the file named by FAKE_LOG.
// With FAKE_TOOL_COMMAND set, a call that offers Bash and whose last user or assistant message is the user's own text is answered with a
// text block and a Bash tool_use running that command (a call that returns a tool result gets the text).
import http from "node:http";
import fs from "node:fs";

const port = Number(process.env.FAKE_PORT ?? 0);
const log = process.env.FAKE_LOG ?? "requests.jsonl";
const text = "Hello from the fake Anthropic upstream.";
const toolCommand = process.env.FAKE_TOOL_COMMAND;

/** Whether this call should get the Bash tool_use: it offers tools and its last message is the user's text. */
function wantsTool(json) {
  if (!toolCommand || !Array.isArray(json.tools) || !json.tools.some((t) => t.name === "Bash")) return false;
  // Claude Code may end with a mid-conversation system message: the turn is the last non-system message's
  const last = json.messages.filter((m) => m.role !== "system").at(-1);
  const parts = typeof last.content === "string" ? [{ type: "text" }] : last.content;
  return last.role === "user" && !parts.some((p) => p.type === "tool_result");
}

function sse(res, events) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const [type, data] of events) res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  res.end();
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const json = body ? JSON.parse(body) : null;
    fs.appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: json }) + "\n");
    const path = req.url.split("?")[0];
    if (path === "/v1/messages/count_tokens") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ input_tokens: 1234 }));
    }
    if (path !== "/v1/messages") {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: req.url } }));
    }
    const message = { id: "msg_fake", type: "message", role: "assistant", model: json.model, stop_reason: null,
      stop_sequence: null, usage: { input_tokens: 10, output_tokens: 0 }, content: [] };
    if (wantsTool(json)) {
      const input = { command: toolCommand, description: "run it" };
      if (!json.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ ...message, stop_reason: "tool_use", usage: { input_tokens: 10, output_tokens: 20 },
          content: [{ type: "text", text: "Running it." }, { type: "tool_use", id: "toolu_fake1", name: "Bash", input }] }));
      }
      return sse(res, [
        ["message_start", { message }],
        ["content_block_start", { index: 0, content_block: { type: "text", text: "" } }],
        ["content_block_delta", { index: 0, delta: { type: "text_delta", text: "Running it." } }],
        ["content_block_stop", { index: 0 }],
        ["content_block_start", { index: 1, content_block: { type: "tool_use", id: "toolu_fake1", name: "Bash", input: {} } }],
        ["content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: JSON.stringify(input).slice(0, 9) } }],
        ["content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: JSON.stringify(input).slice(9) } }],
        ["content_block_stop", { index: 1 }],
        ["message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } }],
        ["message_stop", {}],
      ]);
    }
    if (!json.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ...message, content: [{ type: "text", text }], stop_reason: "end_turn",
        usage: { input_tokens: 10, output_tokens: 8 } }));
    }
    sse(res, [
      ["message_start", { message }],
      ["content_block_start", { index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { index: 0, delta: { type: "text_delta", text } }],
      ["content_block_stop", { index: 0 }],
      ["message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 8 } }],
      ["message_stop", {}],
    ]);
  });
});
server.listen(port, "127.0.0.1", () => console.log(`fake Anthropic upstream on ${server.address().port}`));
