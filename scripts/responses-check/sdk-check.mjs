// The real openai SDK against the gateway (GATEWAY_URL): /v1/responses whole and streamed, to the mock model
// and to an OpenAI-compatible backend (fake-chat.mjs): text, the tool loop, previous_response_id, json_schema,
// errors. Prints one line per check; throws on the first failure.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({baseURL: `${process.env.GATEWAY_URL}/v1`, apiKey: 'any'});
const tools = [{type: 'function', name: 'get_weather', description: 'Weather in a city', strict: true,
  parameters: {type: 'object', properties: {city: {type: 'string'}}, required: ['city'], additionalProperties: false}}];

const r1 = await client.responses.create({model: 'mock', instructions: 'be brief', input: 'hello there mock'});
assert.equal(r1.status, 'completed');
assert.match(r1.output_text, /hello there mock/);
console.log('mock whole:', r1.id, r1.status, JSON.stringify(r1.output_text), JSON.stringify(r1.usage));

const s2 = client.responses.stream({model: 'mock', input: 'stream me please'});
const types = new Set();
s2.on('event', (e) => types.add(e.type));
const f2 = await s2.finalResponse();
assert.equal(f2.output_text, 'stream me please');
console.log('mock stream:', f2.status, [...types].join(','));

const r3 = await client.responses.create({model: 'gpt-4o-mini', input: 'weather in Paris?', tools});
const call = r3.output.find((item) => item.type === 'function_call');
assert.equal(call.name, 'get_weather');
const r4 = await client.responses.create({model: 'gpt-4o-mini', tools, input: [
  {role: 'user', content: 'weather in Paris?'}, call, {type: 'function_call_output', call_id: call.call_id, output: 'sunny'}]});
assert.equal(r4.output_text, 'The tool said: sunny');
console.log('tool loop:', call.call_id, call.arguments, '->', JSON.stringify(r4.output_text));

const s5 = client.responses.stream({model: 'gpt-4o-mini', input: 'weather in Paris?', tools});
const f5 = await s5.finalResponse();
const call5 = f5.output.find((item) => item.type === 'function_call');
const f6 = await client.responses.stream({model: 'gpt-4o-mini', tools, previous_response_id: f5.id,
  input: [{type: 'function_call_output', call_id: call5.call_id, output: 'rainy'}]}).finalResponse();
assert.equal(f6.output_text, 'The tool said: rainy');
assert.equal(f6.previous_response_id, f5.id);
console.log('streamed tool loop by previous_response_id:', JSON.stringify(f6.output_text));

const r7 = await client.responses.create({model: 'gpt-4o-mini', input: 'json please', text: {format: {type: 'json_schema',
  name: 'answer', strict: true, schema: {type: 'object', properties: {a: {type: 'string'}}, required: ['a'], additionalProperties: false}}}});
assert.equal(r7.text.format.type, 'json_schema');
console.log('json_schema:', r7.status);

await assert.rejects(client.responses.create({model: 'gpt-4o-mini'}), (e) => e.status === 400 && e.code === 'missing_required_parameter');
await assert.rejects(client.responses.create({model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_nope'}),
  (e) => e.status === 400 && e.code === 'previous_response_not_found');
console.log('errors: 400 missing_required_parameter, 400 previous_response_not_found');
