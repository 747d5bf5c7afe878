-- The same question as post.lua, asked through OpenAI's Responses API: run against /v1/responses it measures the
-- Responses translation both ways (Responses request → canonical → chat-completions backend, and the answer back).
wrk.method = "POST"
wrk.path = "/v1/responses"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-bench","max_output_tokens":64,"input":"Say hello in five words."}'

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH errors_socket %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH errors_status %d\n", e.status))
end
