-- The same question as post.lua, asked through Anthropic's Messages API: run against /v1/messages it measures the
-- translation both ways (Anthropic request → canonical → OpenAI backend, and the answer back).
wrk.method = "POST"
wrk.path = "/v1/messages"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.body = '{"model":"gpt-bench","max_tokens":64,"messages":[{"role":"user","content":"Say hello in five words."}]}'

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH errors_socket %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH errors_status %d\n", e.status))
end
