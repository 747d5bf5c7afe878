// A fake OpenAI chat-completions upstream for scripts/responses-check: when tools are offered and no tool result
// came yet, a call of Codex's exec_command (or get_weather), else text saying what the tool returned.
import http from 'node:http';
const port = Number(process.argv[2] || 18433);
http.createServer((req, res) => {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    const r = JSON.parse(body || '{}');
    console.error('chat request', JSON.stringify({model: r.model, roles: r.messages.map(m => m.role), tools: r.tools?.map(t => t.function?.name), stream: r.stream}));
    const last = r.messages[r.messages.length - 1];
    const tool = r.tools?.length && last.role !== 'tool';
    const text = last.role === 'tool' ? `The tool said: ${typeof last.content === 'string' ? last.content : JSON.stringify(last.content)}` : 'Hello from the fake';
    const base = {id: 'chatcmpl-x', created: 1700000000, model: r.model};
    const exec = r.tools?.find(t => t.function?.name === 'exec_command');
    const toolName = exec ? 'exec_command' : 'get_weather';
    const toolArgs = exec ? JSON.stringify({cmd: 'echo hello-from-the-codex-loop'}) : '{"city":"Paris"}';
    if (!r.stream) {
      const message = tool ? {role: 'assistant', content: null, tool_calls: [{id: 'call_w1', type: 'function', function: {name: toolName, arguments: toolArgs}}]} : {role: 'assistant', content: text};
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({...base, object: 'chat.completion', choices: [{index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop'}], usage: {prompt_tokens: 11, completion_tokens: 6, total_tokens: 17}}));
      return;
    }
    res.setHeader('content-type', 'text/event-stream');
    const send = (choices, extra = {}) => res.write(`data: ${JSON.stringify({...base, object: 'chat.completion.chunk', choices, ...extra})}\n\n`);
    if (tool) {
      send([{index: 0, delta: {role: 'assistant', tool_calls: [{index: 0, id: 'call_w1', type: 'function', function: {name: toolName, arguments: toolArgs.slice(0, 8)}}]}, finish_reason: null}]);
      send([{index: 0, delta: {tool_calls: [{index: 0, function: {arguments: toolArgs.slice(8)}}]}, finish_reason: null}]);
      send([{index: 0, delta: {}, finish_reason: 'tool_calls'}]);
    } else {
      for (const w of text.split(/(?= )/)) send([{index: 0, delta: {content: w}, finish_reason: null}]);
      send([{index: 0, delta: {}, finish_reason: 'stop'}]);
    }
    if (r.stream_options?.include_usage) send([], {usage: {prompt_tokens: 11, completion_tokens: 6, total_tokens: 17}});
    res.end('data: [DONE]\n\n');
  });
}).listen(port, '127.0.0.1', () => console.error('fake chat on', port));
