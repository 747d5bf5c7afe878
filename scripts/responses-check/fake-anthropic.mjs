// A fake Anthropic Messages upstream for scripts/responses-check (streams only, as Codex streams): a call of
// exec_command when offered and no tool_result came yet, else text saying what the tool returned.
import http from 'node:http';
const port = Number(process.argv[2] || 18434);
http.createServer((req, res) => {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    const r = JSON.parse(body || '{}');
    const last = r.messages[r.messages.length - 1];
    const result = Array.isArray(last.content) ? last.content.find(b => b.type === 'tool_result') : null;
    const tool = r.tools?.some(t => t.name === 'exec_command') && !result;
    console.error('messages request', JSON.stringify({model: r.model, tools: r.tools?.map(t => t.name), last: JSON.stringify(last).slice(0, 200)}));
    const ev = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({type, ...data})}\n\n`);
    res.writeHead(200, {'content-type': 'text/event-stream'});
    ev('message_start', {message: {id: 'msg_fake', type: 'message', role: 'assistant', content: [], model: r.model, stop_reason: null, stop_sequence: null, usage: {input_tokens: 20, output_tokens: 1}}});
    if (tool) {
      ev('content_block_start', {index: 0, content_block: {type: 'tool_use', id: 'toolu_fake1', name: 'exec_command', input: {}}});
      ev('content_block_delta', {index: 0, delta: {type: 'input_json_delta', partial_json: '{"cmd": "echo hello-from'}});
      ev('content_block_delta', {index: 0, delta: {type: 'input_json_delta', partial_json: '-claude-loop"}'}});
      ev('content_block_stop', {index: 0});
    } else {
      const said = result ? JSON.stringify(result.content).slice(0, 200) : 'nothing';
      ev('content_block_start', {index: 0, content_block: {type: 'text', text: ''}});
      ev('content_block_delta', {index: 0, delta: {type: 'text_delta', text: 'Claude saw: ' + said}});
      ev('content_block_stop', {index: 0});
    }
    ev('message_delta', {delta: {stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null}, usage: {output_tokens: 9}});
    ev('message_stop', {});
    res.end();
  });
}).listen(port, '127.0.0.1', () => console.error('fake anthropic on', port));
